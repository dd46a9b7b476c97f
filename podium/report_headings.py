# ruff: noqa: RUF001 - the headings are Cyrillic, Polish, German and Spanish on purpose
"""The session report's headings in each language it is offered in (decision 0030).

Keys are the report's parts; every language has every key (tests check it), so a missing
translation fails a test rather than printing a key.
"""

from __future__ import annotations

HEADINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Session report", "room": "Event", "session": "Session", "start": "Start",
        "end": "End", "duration": "Duration", "visitors": "Visitors",
        "max_visitors": "Most at once", "chat": "Chat messages", "questions": "Questions",
        "attendees": "Attendees", "name": "Name", "email": "Email", "role": "Role",
        "time": "Time present", "device": "Device", "country": "Country", "rating": "Rating",
        "polls": "Polls and tests", "respondents": "Respondents", "ctas": "Calls to action",
        "clicked": "People who clicked", "clicks": "Clicks", "none": "None",
        "comments": "Comments", "page": "Page",
    },
    "pl": {
        "title": "Raport z sesji", "room": "Wydarzenie", "session": "Sesja",
        "start": "Początek", "end": "Koniec", "duration": "Czas trwania",
        "visitors": "Uczestnicy", "max_visitors": "Najwięcej jednocześnie",
        "chat": "Wiadomości na czacie", "questions": "Pytania", "attendees": "Lista uczestników",
        "name": "Imię i nazwisko", "email": "E-mail", "role": "Rola", "time": "Czas obecności",
        "device": "Urządzenie", "country": "Kraj", "rating": "Ocena",
        "polls": "Ankiety i testy", "respondents": "Odpowiedzi", "ctas": "Wezwania do działania",
        "clicked": "Osoby, które kliknęły", "clicks": "Kliknięcia", "none": "Brak",
        "comments": "Komentarze", "page": "Strona",
    },
    "de": {
        "title": "Sitzungsbericht", "room": "Veranstaltung", "session": "Sitzung",
        "start": "Beginn", "end": "Ende", "duration": "Dauer", "visitors": "Besucher",
        "max_visitors": "Höchstens gleichzeitig", "chat": "Chatnachrichten",
        "questions": "Fragen", "attendees": "Teilnehmer", "name": "Name", "email": "E-Mail",
        "role": "Rolle", "time": "Anwesenheit", "device": "Gerät", "country": "Land",
        "rating": "Bewertung", "polls": "Umfragen und Tests", "respondents": "Antwortende",
        "ctas": "Handlungsaufforderungen", "clicked": "Personen mit Klick", "clicks": "Klicks",
        "none": "Keine", "comments": "Kommentare", "page": "Seite",
    },
    "es": {
        "title": "Informe de la sesión", "room": "Evento", "session": "Sesión",
        "start": "Inicio", "end": "Fin", "duration": "Duración", "visitors": "Visitantes",
        "max_visitors": "Máximo simultáneo", "chat": "Mensajes de chat",
        "questions": "Preguntas", "attendees": "Asistentes", "name": "Nombre",
        "email": "Correo electrónico", "role": "Rol", "time": "Tiempo presente",
        "device": "Dispositivo", "country": "País", "rating": "Valoración",
        "polls": "Encuestas y pruebas", "respondents": "Participantes",
        "ctas": "Llamadas a la acción", "clicked": "Personas que hicieron clic",
        "clicks": "Clics", "none": "Ninguno", "comments": "Comentarios", "page": "Página",
    },
    "ru": {
        "title": "Отчёт о сессии", "room": "Мероприятие", "session": "Сессия",
        "start": "Начало", "end": "Окончание", "duration": "Длительность",
        "visitors": "Посетители", "max_visitors": "Максимум одновременно",
        "chat": "Сообщения в чате", "questions": "Вопросы", "attendees": "Участники",
        "name": "Имя", "email": "Эл. почта", "role": "Роль", "time": "Время присутствия",
        "device": "Устройство", "country": "Страна", "rating": "Оценка",
        "polls": "Опросы и тесты", "respondents": "Ответившие", "ctas": "Призывы к действию",
        "clicked": "Нажавшие", "clicks": "Нажатия", "none": "Нет",
        "comments": "Комментарии", "page": "Страница",
    },
}  # fmt: skip
