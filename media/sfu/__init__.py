"""The selective forwarding unit on aiortc (decision 0022).

Contract the rest of the media plane codes against (``media.sfu.Sfu``):
- ``await sfu.negotiate(peer, offer_sdp) -> answer_sdp``; ``await sfu.add_candidate(peer, c)``;
  ``await sfu.hang_up(peer)``; ``sfu.apply(graph)`` (sync, idempotent, cheap when unchanged);
- ``sfu.on_peers_changed``: callbacks ``(room_id, session)`` run when a peer connects or goes;
- ``sfu.peers(room_id, session) -> list[Peer]``; ``sfu.publishing(room_id, session)``: the
  sources currently arriving;
- recording: ``sfu.recording_sinks`` is a factory ``(graph, source, codec) -> PacketSink``
  (``media.recording``), called when a source enters ``graph.recorded``; the SFU asks the
  publisher for a keyframe then and feeds the sink from it on.
"""
