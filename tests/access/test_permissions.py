"""Permissions: what an action needs, and what a refusal says."""

from __future__ import annotations

import pytest

from publishing.access import Actor, Permission, Role
from publishing.errors import ForbiddenError

PUBLISHING = Permission(Role.EDITOR, "Publishing")


def test_a_refusal_names_the_action_and_the_role_it_needs() -> None:
    with pytest.raises(ForbiddenError) as anonymous:
        PUBLISHING.check(None)
    assert anonymous.value.message.startswith("Publishing needs a token with the editor role")
    with pytest.raises(ForbiddenError) as junior:
        PUBLISHING.check(Actor("intern", Role.CONTRIBUTOR))
    assert junior.value.message == "Publishing needs the editor role; this token has contributor."


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ADMIN])
def test_the_role_named_and_those_above_it_may_act(role: Role) -> None:
    actor = Actor("desk", role)
    assert PUBLISHING.check(actor) is actor
