"""Comparing two rounds by their snapshots."""

from kotacerdas.registrations.history import compare_snapshots


def _snapshot(**overrides):
    base = {
        "contact": {"name": "Sri", "phone": "0271 1", "email": "sri@example.test"},
        "indicators": ["5.1", "5.2", "6.1"],
        "documents": {
            "application_letter": {"id": "a", "name": "surat.pdf", "sha256": "aa"},
            "team_decree": {"id": "b", "name": "sk.pdf", "sha256": "bb"},
        },
        "team": [
            {"id": 1, "name": "Sri", "agency": "Diskominfo", "position": "Kabid"},
            {"id": 2, "name": "Yusuf", "agency": "Bappeda", "position": "Analis"},
        ],
    }
    base.update(overrides)
    return base


def test_identical_snapshots_have_no_changes():
    assert not compare_snapshots(_snapshot(), _snapshot())


def test_indicators_added_and_removed_are_listed_in_order():
    changes = compare_snapshots(
        _snapshot(), _snapshot(indicators=["5.1", "6.1", "7.2", "8.1"])
    )

    assert (changes.indicators_added, changes.indicators_removed) == (
        ["7.2", "8.1"],
        ["5.2"],
    )


def test_a_document_with_new_content_counts_as_replaced():
    documents = _snapshot()["documents"] | {
        "team_decree": {"id": "c", "name": "sk-baru.pdf", "sha256": "cc"},
        "implementation_plan": {"id": "d", "name": "rencana.pdf", "sha256": "dd"},
    }

    changes = compare_snapshots(_snapshot(), _snapshot(documents=documents))

    assert changes.documents_replaced == [
        ("implementation_plan", "", "rencana.pdf"),
        ("team_decree", "sk.pdf", "sk-baru.pdf"),
    ]


def test_the_same_content_under_a_new_name_is_not_a_replacement():
    documents = _snapshot()["documents"] | {
        "team_decree": {"id": "c", "name": "sk-lagi.pdf", "sha256": "bb"},
    }

    assert not compare_snapshots(_snapshot(), _snapshot(documents=documents))


def test_team_changes_name_who_joined_left_and_changed():
    team = [
        {"id": 1, "name": "Sri", "agency": "Diskominfo", "position": "Kadis"},
        {"id": 3, "name": "Dewi", "agency": "Dishub", "position": "Staf"},
    ]

    changes = compare_snapshots(_snapshot(), _snapshot(team=team))

    assert (changes.team_added, changes.team_removed, changes.team_changed) == (
        ["Dewi"],
        ["Yusuf"],
        [("Sri", "position", "Kabid", "Kadis")],
    )


def test_contact_changes_keep_old_and_new_values():
    contact = {"name": "Sri", "phone": "0271 2", "email": "sri@example.test"}

    changes = compare_snapshots(_snapshot(), _snapshot(contact=contact))

    assert changes.contact_changed == [("phone", "0271 1", "0271 2")]
