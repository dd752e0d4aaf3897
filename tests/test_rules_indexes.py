"""Hard cases of the index rules DSQL303-DSQL308: exact spans, fixes, look-alikes."""

from __future__ import annotations

from tests._catalog_helpers import fixed, flagged, only


def test_using_method_points_at_the_method() -> None:
    assert flagged("CREATE INDEX ASYNC i ON t USING GiST (a);", "DSQL303") == ["GiST"]
    (finding,) = only("CREATE INDEX ASYNC i ON t USING GiST (a);", "DSQL303")
    assert finding.fix is None


def test_using_btree_is_flagged_and_its_safe_fix_deletes_only_the_clause() -> None:
    assert flagged('CREATE INDEX ASYNC i ON t USING "btree" (a);', "DSQL303") == ['USING "btree"']
    (finding,) = only("CREATE INDEX ASYNC i ON app.t USING btree(a); -- keep", "DSQL303")
    assert "remove `USING btree`" in finding.message
    assert finding.fix is not None and finding.fix.safety.value == "safe"
    assert fixed("CREATE INDEX ASYNC i ON app.t USING btree(a); -- keep", "DSQL303") == (
        "CREATE INDEX ASYNC i ON app.t(a); -- keep"
    )
    assert (
        fixed("CREATE INDEX ASYNC i ON t\n    USING BTREE\n    (a);", "DSQL303")
        == "CREATE INDEX ASYNC i ON t\n    (a);"
    )


def test_a_quoted_upper_case_btree_is_another_method_without_a_fix() -> None:
    (finding,) = only('CREATE INDEX ASYNC i ON t USING "BTREE" (a);', "DSQL303")
    assert finding.fix is None


def test_operator_class_is_found_after_expressions_collations_and_qualified_names() -> None:
    sql = 'CREATE INDEX ASYNC i ON t ((a || b) public.my_ops, lower(c) text_pattern_ops, d COLLATE "C" e_ops);'
    assert flagged(sql, "DSQL304") == ["public.my_ops", "text_pattern_ops", "e_ops"]


def test_sort_and_nulls_words_are_not_operator_classes() -> None:
    assert flagged("CREATE INDEX ASYNC i ON t (a NULLS FIRST, b NULLS LAST);", "DSQL304") == []


def test_qualified_index_name_fix_keeps_the_space_before_the_name() -> None:
    sql = "CREATE INDEX ASYNC  app.i ON app.t (a);"
    assert flagged(sql, "DSQL305") == ["app.i"]
    assert fixed(sql, "DSQL305") == "CREATE INDEX ASYNC  i ON app.t (a);"


def test_include_columns_do_not_count_as_keys() -> None:
    keys = ", ".join(f"k{i}" for i in range(8))
    assert only(f"CREATE INDEX ASYNC i ON t ({keys}) INCLUDE (x, y, z);", "DSQL306") == []
    found = flagged(f"CREATE INDEX ASYNC i ON t ({keys}, k8, k9);", "DSQL306")
    assert found == ["k8, k9"]


def test_storage_parameters_fix_removes_only_the_clause() -> None:
    sql = "CREATE INDEX ASYNC i ON t (a) WITH (fillfactor = 70) WHERE a > 0; -- keep"
    assert fixed(sql, "DSQL307") == "CREATE INDEX ASYNC i ON t (a) WHERE a > 0; -- keep"


def test_collate_inside_an_expression_key_is_not_the_key_collation() -> None:
    assert only('CREATE INDEX ASYNC i ON t ((a COLLATE "C"));', "DSQL308") == []
    assert fixed('CREATE INDEX ASYNC i ON t (a COLLATE "C" NULLS LAST);', "DSQL308") == (
        "CREATE INDEX ASYNC i ON t (a NULLS LAST);"
    )
