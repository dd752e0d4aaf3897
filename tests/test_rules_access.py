"""Hard cases of the role rules DSQL701-DSQL704."""

from __future__ import annotations

from tests._catalog_helpers import flagged, only


def test_alter_role_attributes_span_the_options() -> None:
    assert flagged("ALTER ROLE app WITH LOGIN CONNECTION LIMIT 5;", "DSQL701") == ["LOGIN CONNECTION LIMIT 5"]


def test_alter_role_rename_reset_and_set_are_not_attribute_changes() -> None:
    for sql in ("ALTER ROLE a RENAME TO b;", "ALTER ROLE a RESET ALL;", "ALTER ROLE a SET search_path = x;"):
        assert only(sql, "DSQL701") == [], sql


def test_alter_role_set_points_at_set_and_the_parameter() -> None:
    assert flagged("ALTER ROLE a IN DATABASE postgres SET work_mem = '1MB';", "DSQL702") == ["SET work_mem"]
    assert only("ALTER ROLE a RESET work_mem;", "DSQL702") == []


def test_alter_user_mapping_is_not_alter_user() -> None:
    assert only("ALTER USER MAPPING FOR app SERVER s OPTIONS (SET user 'x');", "DSQL703") == []
    assert flagged("ALTER USER app NOLOGIN;", "DSQL703") == ["ALTER USER"]


def test_role_password_is_a_warning_and_password_null_is_fine() -> None:
    (finding,) = only("CREATE USER app ENCRYPTED PASSWORD 'x';", "DSQL704")
    assert finding.severity.value == "warning"
    assert flagged("CREATE USER app ENCRYPTED PASSWORD 'x';", "DSQL704") == ["ENCRYPTED PASSWORD 'x'"]
    assert only("CREATE ROLE app PASSWORD NULL;", "DSQL704") == []
