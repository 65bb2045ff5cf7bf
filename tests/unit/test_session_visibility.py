"""The visibility rule on its own: a table of (viewer, visibility, turn resolved?) cases.
The per-viewer table over a real session's state, log and results is in
test_session_views.py."""
from __future__ import annotations

import pytest

from wargame.session.visibility import FACILITATOR, PUBLIC, Viewer, Visibility, may_see

BEIJING, BRUSSELS = Viewer.of_team("beijing"), Viewer.of_team("brussels")
SEALED = Visibility.sealed_for("beijing")
FAC_ONLY = Visibility.facilitator_only()
FAC_UNTIL = Visibility.facilitator_until_resolved()
EVERYONE = Visibility.everyone()


@pytest.mark.parametrize("viewer, visibility, resolved, seen", [
    (FACILITATOR, SEALED, False, True),
    (BEIJING, SEALED, False, True),
    (BRUSSELS, SEALED, False, False),
    (PUBLIC, SEALED, False, False),
    (BRUSSELS, SEALED, True, True),
    (PUBLIC, SEALED, True, True),
    (BEIJING, FAC_ONLY, True, False),
    (PUBLIC, FAC_ONLY, True, False),
    (FACILITATOR, FAC_ONLY, False, True),
    (BEIJING, FAC_UNTIL, False, False),
    (PUBLIC, FAC_UNTIL, True, True),
    (PUBLIC, EVERYONE, False, True),
])
def test_may_see(viewer, visibility, resolved, seen):
    assert may_see(viewer, visibility, turn_resolved=resolved) is seen


@pytest.mark.parametrize("visibility", [SEALED, FAC_ONLY, FAC_UNTIL, EVERYONE,
                                        Visibility("team", "brussels")])
def test_stored_form_round_trips(visibility):
    assert Visibility.parse(visibility.to_text()) == visibility


@pytest.mark.parametrize("text", ["", "everyone", "team:", "team:a b", "public until resolved",
                                  "facilitator until", "team:x\nuntil resolved"])
def test_unknown_stored_forms_are_refused(text):
    with pytest.raises(ValueError):
        Visibility.parse(text)


def test_viewers_are_well_formed():
    with pytest.raises(ValueError):
        Viewer("team")
    with pytest.raises(ValueError):
        Viewer("public", "beijing")
    assert str(BEIJING) == "team beijing" and str(PUBLIC) == "the public"
