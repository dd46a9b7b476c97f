// The page's two media connections (decision 0022), both offered by the page:
// - receive: recv-only slots (VIDEO_SLOTS video, AUDIO_SLOTS audio) whose sources the SFU
//   switches as the room changes, so nobody renegotiates when a speaker changes;
// - publish: the camera and microphone, send-only, for someone who may publish.
// Signalling rides the room socket: media.offer {purpose, sdp} -> {type, sdp},
// media.candidate {purpose, candidate}, media.hang_up {purpose}.

export const VIDEO_SLOTS = 7; // the most camera feeds a plan allows
export const AUDIO_SLOTS = 4;
const GATHERING_WAIT_MS = 3000;
const STATS_EVERY_MS = 1000;

// Wait (bounded) until the connection has gathered its candidates, so the offer carries
// them; the SFU answers with all of its own. A candidate found later is trickled.
function gathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (pc.iceGatheringState !== "complete") return;
      pc.removeEventListener("icegatheringstatechange", done);
      resolve();
    };
    pc.addEventListener("icegatheringstatechange", done);
    setTimeout(resolve, GATHERING_WAIT_MS);
  });
}

export class Media {
  // signal(action, fields) -> Promise of the answer's body; changed() re-renders the page.
  // iceServers() -> Promise of the RTCIceServer list (TURN in production, decision 0024).
  constructor({ signal, iceServers, changed, videos, audios, local, state }) {
    this.signal = signal;
    this.iceServers = iceServers;
    this.changed = changed;
    this.videos = videos; // container of the received slots' <video> elements
    this.audios = audios;
    this.local = local; // the publisher's own preview
    this.state = state; // window.podiumRoom.media
    this.pcs = { receive: null, publish: null };
    this.stream = null; // the camera and microphone, kept across re-offers
    this.statsTimer = null;
  }

  // Open the connection of `purpose`, replacing any it had; `add(pc)` adds its transceivers.
  // A refused or failed offer closes it and says so (state "failed"), then rethrows.
  async negotiate(purpose, add) {
    try {
      await this.offer(purpose, add);
    } catch (error) {
      this.close(purpose);
      this.state[purpose] = "failed";
      throw error;
    }
  }

  async offer(purpose, add) {
    const iceServers = await this.iceServers(); // first: nothing may interleave from here on
    this.close(purpose);
    this.state.offers[purpose] += 1;
    const pc = new RTCPeerConnection({ iceServers });
    this.pcs[purpose] = pc;
    this.state[purpose] = "connecting";
    let answered = false;
    const late = [];
    pc.addEventListener("icecandidate", (event) => {
      const candidate = event.candidate ? event.candidate.toJSON() : null;
      if (answered) this.trickle(purpose, candidate);
      else late.push(candidate);
    });
    pc.addEventListener("connectionstatechange", () => {
      if (this.pcs[purpose] !== pc) return; // a replaced connection's last words
      this.state[purpose] = pc.connectionState;
      this.changed();
    });
    add(pc);
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    const complete = pc.iceGatheringState === "complete"; // then the offer carries them all
    const answer = await this.signal("media.offer", { purpose, sdp: pc.localDescription.sdp });
    if (this.pcs[purpose] !== pc) return; // replaced (and closed) while the answer came
    await pc.setRemoteDescription({ type: answer.type, sdp: answer.sdp });
    answered = true;
    // What the offer did not carry (gathering outlasted the wait) follows now, in order.
    if (!complete) for (const candidate of late) this.trickle(purpose, candidate);
  }

  trickle(purpose, candidate) {
    this.signal("media.candidate", { purpose, candidate }).catch((error) => {
      this.state.errors.push(`candidate: ${error.message}`);
    });
  }

  async receive() {
    this.videos.replaceChildren();
    this.audios.replaceChildren();
    this.state.videos = [];
    await this.negotiate("receive", (pc) => {
      for (let slot = 0; slot < VIDEO_SLOTS; slot += 1) {
        const transceiver = pc.addTransceiver("video", { direction: "recvonly" });
        const video = document.createElement("video");
        Object.assign(video, { autoplay: true, muted: true, playsInline: true });
        video.className = "idle";
        video.dataset.slot = String(slot);
        video.srcObject = new MediaStream([transceiver.receiver.track]);
        this.videos.append(video);
        this.state.videos.push({ slot, mid: null, framesDecoded: 0, width: 0, height: 0 });
        video.addEventListener("resize", () => this.changed());
        transceiver.video = video;
      }
      for (let slot = 0; slot < AUDIO_SLOTS; slot += 1) {
        const transceiver = pc.addTransceiver("audio", { direction: "recvonly" });
        const audio = document.createElement("audio");
        audio.autoplay = true;
        audio.srcObject = new MediaStream([transceiver.receiver.track]);
        this.audios.append(audio);
      }
    });
    this.watch();
  }

  async publish() {
    if (this.stream === null) {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 30 } },
      });
      this.local.srcObject = this.stream;
      this.local.hidden = false;
    }
    const settings = this.stream.getVideoTracks()[0]?.getSettings() ?? {};
    this.state.publishing = { width: settings.width ?? 0, height: settings.height ?? 0 };
    await this.negotiate("publish", (pc) => {
      for (const track of this.stream.getTracks()) {
        pc.addTransceiver(track, { direction: "sendonly", streams: [this.stream] });
      }
    });
  }

  async unpublish() {
    this.close("publish");
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.state.publishing = null;
    this.local.srcObject = null;
    this.local.hidden = true;
    await this.signal("media.hang_up", { purpose: "publish" });
  }

  // After the socket came back: the SFU may have lost our connections; offer them again.
  async reoffer() {
    if (this.pcs.receive !== null) await this.receive();
    if (this.pcs.publish !== null && this.stream !== null) await this.publish();
  }

  close(purpose) {
    const pc = this.pcs[purpose];
    if (pc === null) return;
    this.pcs[purpose] = null;
    this.state[purpose] = "closed";
    pc.close();
  }

  closeAll() {
    this.close("receive");
    if (this.stream !== null) this.unpublish().catch(() => {});
    clearInterval(this.statsTimer);
    this.statsTimer = null;
  }

  // Frames decoded and sizes per received video slot, for the page and for tests.
  watch() {
    if (this.statsTimer !== null) return;
    this.statsTimer = setInterval(() => this.sample(), STATS_EVERY_MS);
  }

  async sample() {
    const pc = this.pcs.receive;
    if (pc === null) return;
    const decoded = new Map();
    let audioPackets = 0;
    for (const report of (await pc.getStats()).values()) {
      if (report.type === "inbound-rtp" && report.kind === "video") {
        decoded.set(report.mid, report.framesDecoded ?? 0);
      } else if (report.type === "inbound-rtp" && report.kind === "audio") {
        audioPackets += report.packetsReceived ?? 0;
      }
    }
    this.state.audioPackets = audioPackets;
    const transceivers = pc.getTransceivers().filter((t) => t.video !== undefined);
    transceivers.forEach((transceiver, index) => {
      const slot = this.state.videos[index];
      const video = transceiver.video;
      if (slot === undefined) return;
      slot.mid = transceiver.mid;
      slot.framesDecoded = decoded.get(transceiver.mid) ?? 0;
      slot.width = video.videoWidth;
      slot.height = video.videoHeight;
      video.className = slot.framesDecoded > 0 ? "live" : "idle";
    });
    this.changed();
  }
}
