// The panel page (api.routes.panel_page): log in, the events list with each event's sessions
// and a session's attendance over time, and the Statistics tab. It reads the panel API with
// the key its log-in returned; window.podiumPanel is its state, read by tests/browser.
import { draw, drawn } from "/panel/assets/charts.js";

const KEY = "podium.panel.key"; // this tab's API key: a reload stays logged in
const $ = (id) => document.getElementById(id);

const state = {
  loggedIn: false,
  tab: "events",
  rooms: [],
  room: null, // the room picked in the events list
  sessions: [], // its sessions with their reports
  session: null, // the session's report with its attendees and attendance: [{x, y}]
  statistics: null, // the last GET /statistics answer
  charts: drawn,
  loading: 0, // reads under way: 0 when what is shown is complete
  errors: [],
};
window.podiumPanel = state;

class Refused extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function http(method, path, body) {
  const headers = { Accept: "application/json" };
  const key = sessionStorage.getItem(KEY);
  if (key) headers["X-Api-Key"] = key;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const answer = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!answer.ok) {
    if (answer.status === 401 && key) logOut("Your session ended; log in again.");
    throw new Refused(answer.status, parsed?.detail ?? answer.statusText);
  }
  return parsed;
}

// Every read goes through here: `loading` tells tests (and the status line) when it is done.
async function reading(what, work) {
  state.loading += 1;
  setStatus(`Loading ${what}…`);
  try {
    return await work();
  } catch (error) {
    state.errors.push(`${what}: ${error.message}`);
    setStatus(`Could not load ${what}: ${error.message}`, true);
    return null;
  } finally {
    state.loading -= 1;
    if (state.loading === 0 && !$("status").classList.contains("error")) setStatus("");
  }
}

function setStatus(text, error = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", error);
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : "–");
const minutes = (seconds) => Math.round((seconds ?? 0) / 6) / 10;

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text ?? "–";
  row.append(td);
}

function fill(table, rows, cells, pick) {
  const body = $(table).querySelector("tbody");
  body.replaceChildren();
  for (const item of rows) {
    const tr = document.createElement("tr");
    for (const value of cells(item)) cell(tr, value);
    if (pick) {
      tr.classList.add("pickable");
      tr.tabIndex = 0;
      tr.addEventListener("click", () => pick(item, tr));
      tr.addEventListener("keydown", (event) => event.key === "Enter" && pick(item, tr));
    }
    body.append(tr);
  }
}

function select(tr) {
  for (const other of tr.parentElement.children) other.removeAttribute("aria-selected");
  tr.setAttribute("aria-selected", "true");
}

// --- log in ---------------------------------------------------------------------------------

$("log-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("log-in-error").textContent = "";
  try {
    const issued = await http("POST", "/sessions", {
      email: $("log-in-email").value,
      password: $("log-in-password").value,
    });
    sessionStorage.setItem(KEY, issued.api_key);
    await enter();
  } catch (error) {
    $("log-in-error").textContent = error.message;
  }
});

$("log-out").addEventListener("click", () => logOut(""));

function logOut(reason) {
  sessionStorage.removeItem(KEY);
  state.loggedIn = false;
  for (const id of ["tabs", "events", "statistics"]) $(id).hidden = true;
  $("log-in").hidden = false;
  $("log-in-error").textContent = reason;
}

async function enter() {
  state.loggedIn = true;
  $("log-in").hidden = true;
  $("tabs").hidden = false;
  await loadRooms();
  show(state.tab);
}

// --- tabs -----------------------------------------------------------------------------------

for (const button of document.querySelectorAll("#tabs [data-tab]")) {
  button.addEventListener("click", () => show(button.dataset.tab));
}

function show(tab) {
  state.tab = tab;
  for (const button of document.querySelectorAll("#tabs [data-tab]")) {
    button.setAttribute("aria-pressed", String(button.dataset.tab === tab));
  }
  $("events").hidden = tab !== "events";
  $("statistics").hidden = tab !== "statistics";
  if (tab === "statistics") loadStatistics();
}

// --- events ---------------------------------------------------------------------------------

async function loadRooms() {
  const answer = await reading("events", () => http("GET", "/rooms"));
  state.rooms = answer?.rooms ?? [];
  $("no-rooms").hidden = state.rooms.length > 0;
  fill(
    "rooms",
    state.rooms,
    (room) => [room.name, room.room_type, when(room.starts_at), room.access_type, room.status],
    openRoom,
  );
  const choice = $("filter-room");
  choice.replaceChildren(new Option("All events", ""));
  for (const room of state.rooms) choice.append(new Option(room.name, room.room_id));
}

async function openRoom(room, tr) {
  select(tr);
  state.room = room;
  state.session = null;
  $("session").hidden = true;
  $("room").hidden = false;
  $("room-name").textContent = room.name;
  state.sessions = [];
  await reading("sessions", async () => {
    const listed = (await http("GET", `/rooms/${room.room_id}/sessions`)).sessions;
    const reports = await Promise.all(
      listed.map((one) =>
        http("GET", `/rooms/${room.room_id}/sessions/${one.number ?? one.session}/report`).catch(
          () => null, // a session that has not started has no report yet
        ),
      ),
    );
    state.sessions = reports.filter(Boolean).reverse(); // most recent first
  });
  fill(
    "sessions",
    state.sessions,
    (one) => [
      `#${one.session}`,
      when(one.started_at),
      when(one.ended_at),
      one.total_visitors,
      one.max_visitors,
    ],
    openSession,
  );
}

async function openSession(report, tr) {
  select(tr);
  const path = `/rooms/${report.room_id}/sessions/${report.session}/attendees`;
  const answer = await reading("attendees", () => http("GET", path));
  if (!answer) return;
  const attendance = overTime(answer.attendees, report);
  state.session = { ...report, attendees: answer.attendees, attendance };
  $("session").hidden = false;
  $("session-title").textContent = `Session #${report.session}: attendance over time`;
  draw("chart-attendance", "line", undefined, [{ label: "Present", data: attendance, stepped: true }], {
    scales: {
      x: { type: "linear", ticks: { callback: (at) => new Date(at).toLocaleTimeString() } },
      y: { beginAtZero: true, ticks: { precision: 0 } },
    },
  });
  fill("session-attendees", answer.attendees, (one) => [
    one.nickname,
    one.email,
    one.role,
    minutes(one.seconds_present),
    one.browser,
    one.device,
    one.country,
    one.rating,
  ]);
}

// How many were present at each change, as points {x: time in ms, y: people}: +1 at every
// join, -1 at every leave (a visit still open counts to the session's end, or to now while it
// runs). Every change is a point of its own, so a busy second keeps its peak.
export function overTime(attendees, report) {
  const end = report.ended_at ?? new Date().toISOString();
  const changes = [];
  for (const person of attendees) {
    for (const visit of person.joins) {
      changes.push([Date.parse(visit.joined_at), 1]);
      changes.push([Date.parse(visit.left_at ?? end), -1]);
    }
  }
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const points = [{ x: Date.parse(report.started_at), y: 0 }];
  let present = 0;
  for (const [at, step] of changes) {
    present += step;
    points.push({ x: at, y: present });
  }
  return points;
}

// --- statistics -----------------------------------------------------------------------------

$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  loadStatistics();
});

function filters() {
  const query = new URLSearchParams();
  if ($("filter-from").value) query.set("from", `${$("filter-from").value}T00:00:00Z`);
  if ($("filter-to").value) query.set("to", `${$("filter-to").value}T23:59:59Z`);
  if ($("filter-room").value) query.set("room_id", $("filter-room").value);
  return query;
}

async function loadStatistics() {
  const query = filters();
  const answer = await reading("statistics", () => http("GET", `/statistics?${query}`));
  if (!answer) return;
  state.statistics = answer;
  showStatistics(answer, query);
}

function showStatistics(stats, query) {
  const totals = $("totals");
  totals.replaceChildren();
  for (const [label, value] of [
    ["Events", stats.totals.events],
    ["Sessions", stats.totals.sessions],
    ["Attendees", stats.totals.attendees],
    ["Phone minutes", stats.totals.phone_minutes],
  ]) {
    const box = document.createElement("div");
    const figure = document.createElement("span");
    figure.className = "figure";
    figure.textContent = String(value ?? 0);
    box.append(figure, label);
    totals.append(box);
  }
  const months = stats.events_per_month;
  draw("chart-months", "bar", months.map((row) => row.month), [
    { label: "Events", data: months.map((row) => row.events) },
  ]);
  const kinds = stats.room_types;
  draw("chart-kinds", "doughnut", kinds.map((row) => row.room_type), [
    { label: "Events", data: kinds.map((row) => row.events) },
  ]);
  const countries = stats.countries;
  draw("chart-countries", "bar", countries.map((row) => row.country || "unknown"), [
    { label: "Attendees", data: countries.map((row) => row.attendees) },
  ]);
  const devices = stats.devices;
  draw("chart-devices", "doughnut", devices.map((row) => row.device || "unknown"), [
    { label: "Attendees", data: devices.map((row) => row.attendees) },
  ]);
  fill("stat-attendees", stats.attendees, (one) => [
    one.email,
    one.room_name,
    minutes(one.seconds_present),
    one.browser,
    one.country,
    one.rating,
    one.poll_answers,
  ]);
  const links = $("downloads");
  links.replaceChildren("Download as CSV: ");
  for (const table of ["attendees", "events_per_month", "countries", "devices"]) {
    const link = document.createElement("a");
    link.href = `/statistics/${table}.csv?${query}`;
    link.textContent = table.replaceAll("_", " ");
    link.addEventListener("click", (event) => download(event, link));
    links.append(link, " ");
  }
}

// A CSV download needs the API key, which a plain link cannot carry: fetch it, then save it.
async function download(event, link) {
  event.preventDefault();
  const answer = await fetch(link.href, { headers: { "X-Api-Key": sessionStorage.getItem(KEY) } });
  const blob = await answer.blob();
  const saving = document.createElement("a");
  saving.href = URL.createObjectURL(blob);
  saving.download = link.pathname.split("/").pop();
  saving.click();
  URL.revokeObjectURL(saving.href);
}

// --- start ----------------------------------------------------------------------------------

if (sessionStorage.getItem(KEY)) enter();
else logOut("");
setStatus("");
