// The room page (api.routes.room_page): join, hold the room's socket, show the room, and
// carry the media connections (media.js). window.podiumRoom is the page's state, read by
// people debugging and by tests/browser.
import { Media } from "/live/assets/media.js";
import { show } from "/live/assets/view.js";

const roomId = location.pathname.split("/").filter(Boolean).pop();
const query = new URLSearchParams(location.search);
const stored = `podium.room.${roomId}`; // this tab's credential: a reload rejoins as itself
const MODES = ["listen_only", "qa", "discussion", "presenters_only"];
const FATAL_CLOSES = new Set([4401, 4403, 4404, 4409]); // the credential was refused
const $ = (id) => document.getElementById(id);

const state = {
  roomId,
  joined: false,
  socket: "closed", // closed | connecting | open
  connects: 0, // sockets opened so far: more than one means it reconnected
  position: null, // the last room event shown: a reconnect resumes after it
  you: null,
  presents: false,
  session: null,
  mode: null,
  chat: [], // {id, nickname, role, text, to}
  chatEnabled: true,
  hands: [], // {id, nickname}
  myHand: false,
  onCamera: false, // this person holds one of the session's camera feeds
  presence: [],
  poll: null,
  answered: {}, // poll id -> {question id: answer}
  cta: null,
  media: {
    receive: "closed", // each connection's RTCPeerConnection.connectionState
    publish: "closed",
    offers: { receive: 0, publish: 0 }, // offers made: a re-offer after a reconnect counts
    publishing: null, // the camera's {width, height} while publishing
    videos: [], // per received video slot: {slot, mid, framesDecoded, width, height}
    audioPackets: 0, // RTP packets received on every audio slot together
    errors: [],
  },
  errors: [],
};
window.podiumRoom = state;

let credential = sessionStorage.getItem(stored);
let socket = null;
let nextRef = 1;
const pending = new Map(); // ref -> {resolve, reject}
let loading = null; // events that arrive while the snapshot's REST reads run
let retry = 0;

let iceServers = null; // fetched once per join: the same for every connection
const media = new Media({
  signal: act,
  iceServers: async () => {
    iceServers ??= (await http("GET", `/live/${roomId}/ice-servers`)).ice_servers;
    return iceServers;
  },
  changed: render,
  videos: $("videos"),
  audios: $("audios"),
  local: $("local-video"),
  state: state.media,
});

// ---- HTTP ---------------------------------------------------------------------------------

async function http(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (credential) headers["Podium-Attendance"] = credential;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.detail || `${method} ${path}: ${response.status}`);
  return answer;
}

async function join(event) {
  event.preventDefault();
  const body = { nickname: $("join-nickname").value.trim() };
  const email = $("join-email").value.trim();
  if (email) body.email = email;
  if ($("join-password").value) body.password = $("join-password").value;
  for (const name of ["token", "r", "autologin"]) if (query.get(name)) body[name] = query.get(name);
  if (query.get("role")) body.role_hash = query.get("role");
  $("join-button").disabled = true;
  try {
    const admitted = await http("POST", `/rooms/${roomId}/join`, body);
    credential = admitted.credential;
    sessionStorage.setItem(stored, credential);
    enter();
  } catch (error) {
    $("join-error").textContent = error.message;
  } finally {
    $("join-button").disabled = false;
  }
}

// ---- the socket ---------------------------------------------------------------------------

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  let url = `${scheme}://${location.host}/ws/rooms/${roomId}?credential=`;
  url += encodeURIComponent(credential);
  if (state.position !== null) url += `&since=${state.position}`;
  state.socket = "connecting";
  socket = new WebSocket(url);
  socket.addEventListener("open", () => {
    state.socket = "open";
    state.connects += 1;
    retry = 0;
    render();
  });
  socket.addEventListener("message", (message) => received(JSON.parse(message.data)));
  socket.addEventListener("close", (closed) => {
    state.socket = "closed";
    for (const { reject } of pending.values()) reject(new Error("the socket closed"));
    pending.clear();
    render();
    if (FATAL_CLOSES.has(closed.code)) return leave(closed.reason || "refused");
    // Back after a pause that grows on repeated failures, resuming after our position.
    retry += 1;
    setTimeout(connect, Math.min(5000, 250 * 2 ** retry));
  });
}

// A socket action; resolves with its answer's body, rejects with the error frame's detail.
function act(action, fields = {}) {
  if (socket === null || socket.readyState !== WebSocket.OPEN) {
    return Promise.reject(new Error("not connected"));
  }
  const ref = nextRef++;
  socket.send(JSON.stringify({ action, ref, ...fields }));
  return new Promise((resolve, reject) => pending.set(ref, { resolve, reject }));
}

function received(frame) {
  switch (frame.type) {
    case "ping":
      socket.send('{"action":"pong"}');
      return;
    case "snapshot":
      snapshot(frame);
      return;
    case "resumed":
      media.reoffer().catch(mediaFailed);
      return;
    case "events":
      if (loading !== null) loading.push(...frame.events);
      else frame.events.forEach(apply);
      render();
      return;
    case "answer":
    case "error":
      settle(frame);
      return;
    case "resync":
      state.position = frame.since; // the server closes next; we come back from there
      return;
  }
}

function settle(frame) {
  const waiting = pending.get(frame.ref);
  if (waiting === undefined) {
    if (frame.type === "error") state.errors.push(frame.detail);
    return;
  }
  pending.delete(frame.ref);
  if (frame.type === "answer") waiting.resolve(frame.body);
  else waiting.reject(new Error(frame.detail || frame.title));
}

// The snapshot names the session, you and who is here; the audio mode, the chat, the call to
// action and the polls are read over HTTP, and events that arrive meanwhile wait, then apply
// on top (each is applied by id, so one the reads already show changes nothing).
async function snapshot(frame) {
  const reconnected = state.position !== null;
  state.position = frame.position;
  const room = frame.state;
  state.you = room.you;
  state.presents = room.you.role === "presenter" || room.you.role === "host";
  state.session = room.session;
  state.presence = room.presence;
  loading = [];
  try {
    const [audio, chat, cta, polls, hands] = await Promise.all([
      http("GET", `/rooms/${roomId}/audio`).catch(() => null),
      http("GET", `/rooms/${roomId}/chat/messages`),
      http("GET", `/rooms/${roomId}/cta`),
      http("GET", `/rooms/${roomId}/polls`),
      http("GET", `/rooms/${roomId}/hands`),
    ]);
    state.hands = hands.hands.map((h) => ({ id: h.hand_id, nickname: h.nickname }));
    // Our hand is the one whose id a raise answered with (kept across a reload).
    state.myHand = state.hands.some((h) => h.id === sessionStorage.getItem(`${stored}.hand`));
    state.mode = audio?.mode ?? null;
    state.chatEnabled = chat.enabled;
    state.chat = chat.messages
      .filter((m) => !m.deleted)
      .map((m) => ({ id: m.message_id, nickname: m.nickname, role: m.role, text: m.text }));
    state.cta = cta.shown && { id: cta.shown.cta_id, ...cta.shown };
    const open = polls.polls.filter((p) => p.status === "open" && p.session === room.session.number);
    state.poll = open.at(-1) ?? null;
  } catch (error) {
    state.errors.push(`reading the room: ${error.message}`);
  }
  const waiting = loading;
  loading = null;
  waiting.forEach(apply);
  render();
  if (state.session.live && (reconnected || state.media.receive === "closed")) {
    media.receive().catch(mediaFailed);
    if (reconnected && media.stream !== null) media.publish().catch(mediaFailed);
  }
}

// One room event: its kind is `aggregate.event` (decision 0020), its stream the aggregate.
function apply(event) {
  if (state.position !== null && event.position <= state.position && loading === null) return;
  state.position = Math.max(state.position ?? 0, event.position);
  const p = event.payload;
  switch (event.kind) {
    case "live_session.started":
      state.session = { ...state.session, state: "live", live: true };
      media.receive().catch(mediaFailed);
      break;
    case "live_session.ended":
      state.session = { ...state.session, state: "ended", live: false };
      media.closeAll();
      break;
    case "audio.mode_changed":
      state.mode = p.mode;
      break;
    case "chat_message.sent":
      if (!state.chat.some((m) => m.id === event.stream)) {
        state.chat.push({ id: event.stream, nickname: p.nickname, role: p.role, text: p.text });
      }
      break;
    case "chat_message.deleted":
      state.chat = state.chat.filter((m) => m.id !== event.stream);
      break;
    case "chat.switched":
      state.chatEnabled = p.enabled;
      break;
    case "hand.raised":
    case "hand.raised_again":
      if (!state.hands.some((h) => h.id === event.stream)) {
        state.hands.push({ id: event.stream, nickname: p.nickname ?? "someone" });
      }
      break;
    case "hand.lowered":
      state.hands = state.hands.filter((h) => h.id !== event.stream);
      if (event.stream === sessionStorage.getItem(`${stored}.hand`)) state.myHand = false;
      break;
    case "poll.opened":
      http("GET", `/rooms/${roomId}/polls/${event.stream}`)
        .then((poll) => {
          state.poll = poll;
          render();
        })
        .catch((error) => state.errors.push(error.message));
      break;
    case "poll.closed":
      if (state.poll?.poll_id === event.stream) state.poll = null;
      break;
    case "call_to_action.displayed":
      state.cta = { id: event.stream, ...p };
      break;
    case "call_to_action.hidden":
      if (state.cta?.id === event.stream) state.cta = null;
      break;
    case "admission.admitted":
      if (p.nickname && !state.presence.some((person) => person.admission === event.stream)) {
        state.presence.push({ admission: event.stream, nickname: p.nickname, role: p.role });
      }
      break;
  }
}

function mediaFailed(error) {
  state.media.errors.push(error.message);
  render();
}

// ---- what the person does ----------------------------------------------------------------

function wire() {
  $("join").addEventListener("submit", join);
  for (const button of $("mode-buttons").querySelectorAll("button")) {
    button.addEventListener("click", () => {
      act("audio.mode", { mode: button.dataset.mode })
        .then((audio) => {
          state.mode = audio.mode;
          render();
        })
        .catch(failed);
    });
  }
  $("chat-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("chat-text").value.trim();
    if (!text) return;
    act("chat.send", { text })
      .then(() => {
        $("chat-text").value = "";
      })
      .catch(failed);
  });
  $("hand").addEventListener("click", () => {
    const raising = !state.myHand;
    act(raising ? "hand.raise" : "hand.lower")
      .then((hand) => {
        sessionStorage.setItem(`${stored}.hand`, hand.hand_id);
        state.myHand = hand.raised;
        render();
      })
      .catch(failed);
  });
  $("publish").addEventListener("click", () => share(true));
  $("unpublish").addEventListener("click", () => share(false));
  $("poll-form").addEventListener("submit", answerPoll);
  $("cta-button").addEventListener("click", () => {
    if (state.cta) act("cta.click", { cta_id: state.cta.id }).catch(failed);
  });
}

// Sharing is two things: the publish connection, and a camera feed of the session's (decision
// 0018), without which the SFU forwards nobody's video (it obeys the graph, decision 0022).
async function share(on) {
  try {
    if (on) {
      await media.publish();
      await act("camera.set", { on: true });
    } else {
      await act("camera.set", { on: false }).catch(failed);
      await media.unpublish();
    }
    state.onCamera = on;
  } catch (error) {
    mediaFailed(error);
  }
  render();
}

async function answerPoll(event) {
  event.preventDefault();
  const poll = state.poll;
  if (poll === null) return;
  const form = new FormData($("poll-form"));
  const answers = {};
  try {
    for (const question of poll.questions) {
      const answer = { poll_id: poll.poll_id, question_id: question.id };
      if (question.kind === "short_answer") answer.text = String(form.get(question.id) ?? "");
      else answer.choices = form.getAll(question.id).map(String);
      await act("poll.answer", answer);
      answers[question.id] = answer.text ?? answer.choices;
    }
    state.answered[poll.poll_id] = answers;
    $("poll-result").textContent = "Thank you: your answer is in.";
  } catch (error) {
    $("poll-result").textContent = error.message;
  }
  render();
}

function failed(error) {
  state.errors.push(error.message);
  $("status").textContent = error.message;
}

function leave(reason) {
  sessionStorage.removeItem(stored);
  sessionStorage.removeItem(`${stored}.hand`);
  credential = null;
  state.joined = false;
  media.closeAll();
  $("join-error").textContent = `You are no longer in the room: ${reason}`;
  render();
}

function render() {
  show(state);
}

function enter() {
  state.joined = true;
  render();
  connect();
}

// For tests and debugging: drop the socket as a network would; the page comes back by itself.
state.dropSocket = () => socket?.close(4999, "dropped on purpose");

wire();
if (query.get("nickname")) $("join-nickname").value = query.get("nickname");
if (query.get("email")) $("join-email").value = query.get("email");
if (credential) enter();
else render();
