// Showing the room page's state (room.js keeps it in window.podiumRoom): every render
// rewrites what changed from the state alone, so a missed update heals on the next one.
const $ = (id) => document.getElementById(id);

export function show(state) {
  $("join").hidden = state.joined;
  $("room").hidden = !state.joined;
  if (!state.joined) {
    $("status").textContent = "Join the room";
    return;
  }
  const connection = state.socket === "open" ? "connected" : `${state.socket}…`;
  $("status").textContent = `Room ${state.roomId}: ${connection}`;
  if (state.you === null) return;
  $("you").textContent = state.you.nickname;
  $("your-role").textContent = state.you.role;
  $("session-state").textContent = state.session?.state ?? "–";
  $("mode").textContent = state.mode ?? "–";
  $("mode-buttons").hidden = !state.presents;
  for (const button of $("mode-buttons").querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.mode === state.mode));
  }
  $("publish-controls").hidden = !state.presents;
  $("publish").hidden = state.media.publishing !== null;
  $("unpublish").hidden = state.media.publishing === null;
  $("hand").textContent = state.myHand ? "Lower hand" : "Raise hand";
  $("media-state").textContent =
    `receiving: ${state.media.receive}, publishing: ${state.media.publish}` +
    (state.media.errors.length ? ` (${state.media.errors.at(-1)})` : "");
  renderChat(state);
  renderList("presence", state.presence, (person) => `${person.nickname} (${person.role})`);
  renderList("hands", state.hands, (hand) => hand.nickname);
  renderPoll(state);
  $("cta").hidden = state.cta === null;
  if (state.cta !== null) {
    $("cta-description").textContent = state.cta.description;
    $("cta-button").textContent = state.cta.button_text;
    if (/^https?:\/\//.test(state.cta.url)) $("cta-button").href = state.cta.url;
  }
}

function renderChat(state) {
  const list = $("chat-messages");
  list.replaceChildren(
    ...state.chat.map((message) => {
      const item = document.createElement("li");
      item.dataset.id = message.id;
      const who = document.createElement("span");
      who.className = "who";
      who.textContent = message.nickname;
      item.append(who, document.createTextNode(message.text));
      return item;
    }),
  );
  $("chat-text").disabled = !state.chatEnabled && !state.presents;
}

function renderList(id, items, label) {
  $(id).replaceChildren(
    ...items.map((item) => {
      const entry = document.createElement("li");
      entry.textContent = label(item);
      return entry;
    }),
  );
}

let shownPoll = null; // re-build the form only when the poll changes, not on every render
function renderPoll(state) {
  const poll = state.poll;
  $("poll").hidden = poll === null;
  if (poll === null || shownPoll === poll.poll_id) return;
  shownPoll = poll.poll_id;
  $("poll-name").textContent = poll.name;
  $("poll-result").textContent = "";
  const form = $("poll-form");
  form.replaceChildren();
  for (const question of poll.questions) {
    const box = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = question.text;
    box.append(legend);
    if (question.kind === "short_answer") {
      const input = document.createElement("input");
      input.name = question.id;
      box.append(input);
    }
    for (const choice of question.choices ?? []) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = question.kind === "multiple_choice" ? "checkbox" : "radio";
      input.name = question.id;
      input.value = choice.id;
      label.append(input, document.createTextNode(choice.text));
      box.append(label);
    }
    form.append(box);
  }
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.textContent = "Answer";
  form.append(submit);
}
