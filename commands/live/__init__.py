"""The live room's command services, one module per concern (decision 0014).

``sessions`` runs a room's sessions (start, end, leave); ``actors`` says who acts in a room
and in what role. Each concern of the room (audio, chat, questions, polls, calls to action,
whiteboard, stage, recording, dial-in) has its own module beside them.
"""
