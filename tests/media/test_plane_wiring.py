"""Which media plane a process gets from its settings (decision 0024)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from media.plane import EmbeddedMediaPlane, RemoteMediaPlane, media_plane_for
from podium.bootstrap import Podium
from podium.settings import Settings
from tests.media.fake_sfu import FakeSfu


def test_media_off_attaches_no_plane(podium: Podium) -> None:
    """PODIUM_MEDIA=off: no plane, so offers answer 503."""
    podium.settings = podium.settings.model_copy(update={"media": False})
    assert media_plane_for(podium, FakeSfu) is None
    assert podium.media.plane is None


def test_a_media_url_attaches_the_remote_plane(podium: Podium) -> None:
    """PODIUM_MEDIA_URL: signalling goes there; no SFU runs here."""
    podium.settings = podium.settings.model_copy(
        update={"media_url": "http://127.0.0.1:9/", "media_secret": "s" * 16}
    )
    plane = media_plane_for(podium, FakeSfu)
    assert isinstance(plane, RemoteMediaPlane)
    assert plane.url == "http://127.0.0.1:9"
    assert podium.media.plane is plane


def test_by_default_the_plane_is_embedded_and_stops(podium: Podium) -> None:
    """The default: the SFU and reconciler on their own loop, stopped with the process."""
    plane = media_plane_for(podium, FakeSfu)
    assert isinstance(plane, EmbeddedMediaPlane)
    try:
        assert plane.reconciler is not None
        assert plane.reconciler.follower.listener is None or podium.settings.store == "postgres"
    finally:
        plane.stop()
    assert not plane.loop.is_running()


def test_a_media_url_without_its_secret_is_refused_at_start() -> None:
    """The remote plane needs the shared secret; ICE servers need their URLs."""
    with pytest.raises(ValidationError, match="PODIUM_MEDIA_SECRET"):
        Settings(media_url="http://media:8090")
    with pytest.raises(ValidationError, match="urls"):
        Settings(media_ice_servers=[{"username": "x"}])
