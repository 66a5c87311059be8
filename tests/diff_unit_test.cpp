// The catalog diff and its reports on in-memory catalogs: no server involved.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "catalog/attributes.hpp"
#include "catalog/fingerprint.hpp"
#include "catalog/privilege_lists.hpp"
#include "catalog/model.hpp"
#include "diff/diff.hpp"
#include "diff/render.hpp"

using namespace schemakit;
using catalog::Catalog;
using catalog::Kind;
using catalog::Object;
using catalog::ObjectId;
using diff::Change;
using diff::DiffOptions;

namespace {

Object object(Kind kind, std::string schema, std::string table, std::string name,
              catalog::Attributes attributes = {}) {
  Object o;
  o.id = ObjectId{kind, std::move(schema), std::move(table), std::move(name), ""};
  o.attributes = std::move(attributes);
  return o;
}

Object table(std::string schema, std::string name, catalog::Attributes attributes = {}) {
  return object(Kind::table, std::move(schema), "", std::move(name), std::move(attributes));
}

Object column(std::string schema, std::string table_name, std::string name, int position,
              std::string type = "integer") {
  return object(Kind::column, std::move(schema), std::move(table_name), std::move(name),
                {{"position", std::to_string(position)}, {"type", std::move(type)}});
}

Catalog catalog_of(std::vector<Object> objects) {
  Catalog c;
  c.objects = std::move(objects);
  c.sort_by_id();
  return c;
}

// "kind identity change attribute" per difference, for compact assertions.
std::vector<std::string> summary(const diff::ChangeSet& changes) {
  std::vector<std::string> out;
  for (const auto& d : changes.differences) {
    std::string line = std::string(catalog::to_string(d.id.kind)) + " " + catalog::display_name(d.id) +
                       " " + diff::to_string(d.change);
    if (!d.attribute.empty()) line += " " + d.attribute + " [" + d.a + "] [" + d.b + "]";
    out.push_back(line);
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(CatalogOrder, SortByIdIsObjectIdOrder) {
  // Random identities with shared and distinct schemas, tables and names, in random order, and
  // a table's objects in runs as the readers add them: sort_by_id ranks schemas and tables
  // instead of comparing them as text, and must still give ObjectId's own order.
  std::mt19937 random(20261121);
  const std::vector<std::string> words = {"", "a", "ab", "b", "Z", "app", "app2", "t_1", "t_10", "t_2", "\"q\""};
  auto word = [&] { return words[random() % words.size()]; };
  Catalog catalog;
  for (int i = 0; i < 3000; ++i) {
    const Kind kind = static_cast<Kind>(random() % 6);
    const std::string schema = word(), table = word();
    const int run = 1 + static_cast<int>(random() % 4);
    for (int j = 0; j < run; ++j) catalog.objects.push_back(Object{{kind, schema, table, word(), word()}, {{"n", std::to_string(i * 10 + j)}}, {}});
  }
  std::vector<Object> expected = catalog.objects;
  std::stable_sort(expected.begin(), expected.end(), [](const Object& x, const Object& y) { return x.id < y.id; });
  catalog.sort_by_id();
  ASSERT_EQ(catalog.objects.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(catalog.objects[i].id, expected[i].id) << i;
  }
}

TEST(DiffCompare, IdenticalCatalogsGiveNoDifferences) {
  Catalog a = catalog_of({table("app", "users", {{"comment", "people"}}), column("app", "users", "id", 1)});
  Catalog b = a;
  auto changes = diff::compare(a, b, {});
  EXPECT_TRUE(changes.empty());
  EXPECT_TRUE(changes.identical());
  EXPECT_EQ(changes.counts_a.at(Kind::table), 1u);
  EXPECT_EQ(changes.counts_b.at(Kind::column), 1u);
  EXPECT_EQ(changes.counts_a.at(Kind::view), 0u);  // every kind is counted, zeros included
}

TEST(DiffCompare, MergeWalkReportsOnlyInAOnlyInBAndChangedInIdOrder) {
  Catalog a = catalog_of({table("app", "a_only"), table("app", "both_sides", {{"persistence", "permanent"}}),
                          table("app", "same")});
  Catalog b = catalog_of({table("app", "b_only"), table("app", "both_sides", {{"persistence", "unlogged"}}),
                          table("app", "same")});
  EXPECT_EQ(summary(diff::compare(a, b, {})),
            (Lines{"table app.a_only only_in_a", "table app.b_only only_in_b",
                   "table app.both_sides changed persistence [permanent] [unlogged]"}));
}

TEST(DiffCompare, AbsentAttributeReadsAsEmpty) {
  Catalog a = catalog_of({table("app", "t", {{"comment", ""}})});
  Catalog b = catalog_of({table("app", "t")});
  EXPECT_TRUE(diff::compare(a, b, {}).empty());
  Catalog c = catalog_of({table("app", "t", {{"comment", "x"}})});
  EXPECT_EQ(summary(diff::compare(b, c, {})), (Lines{"table app.t changed comment [] [x]"}));
}

// Privilege lists keep the server's order (pg_dump prints it) but compare as sets.
TEST(DiffCompare, PrivilegeListsInAnotherOrderAreEqual) {
  Catalog a = catalog_of({table("app", "t", {{"privileges", "{o=arwdDxt/o,b=r/o,a=r/o}"},
                                             {"column_privileges:c", "{\"x,}\"=r/o,=w/o}"}})});
  Catalog b = catalog_of({table("app", "t", {{"privileges", "{a=r/o,o=arwdDxt/o,b=r/o}"},
                                             {"column_privileges:c", "{=w/o,\"x,}\"=r/o}"}})});
  EXPECT_TRUE(diff::compare(a, b, {}).empty());
  EXPECT_EQ(catalog::fingerprint(a), catalog::fingerprint(b));
  // The same letters in another place are another list.
  Catalog c = catalog_of({table("app", "t", {{"privileges", "{o=arwdDxt/o,b=r/o,a=w/o}"},
                                             {"column_privileges:c", "{\"x,}\"=r/o,=w/o}"}})});
  EXPECT_EQ(summary(diff::compare(a, c, {})),
            (Lines{"table app.t changed privileges [{o=arwdDxt/o,b=r/o,a=r/o}] [{o=arwdDxt/o,b=r/o,a=w/o}]"}));
  EXPECT_NE(catalog::fingerprint(a), catalog::fingerprint(c));
  // Order matters for any other attribute.
  Catalog d = catalog_of({table("app", "t", {{"options", "{b,a}"}})});
  Catalog e = catalog_of({table("app", "t", {{"options", "{a,b}"}})});
  EXPECT_EQ(diff::compare(d, e, {}).differences.size(), 1u);
}

TEST(PrivilegeLists, OwnerMarkedAsGranteeAndGrantorOnly) {
  EXPECT_EQ(catalog::privileges_with_owner_marked("{alice=arwd/alice,bob=r/alice,=r/alice}", "alice"),
            "{\x01owner\x01=arwd/\x01owner\x01,bob=r/\x01owner\x01,=r/\x01owner\x01}");
  EXPECT_EQ(catalog::privileges_with_owner_marked("{\"Odd, \"\"Role\"=r/\"Odd, \"\"Role\",alice2=r/\"Odd, \"\"Role\"}",
                                                  "Odd, \"Role"),
            "{\x01owner\x01=r/\x01owner\x01,alice2=r/\x01owner\x01}")
      << "a quoted owner, and a name that only starts like it";
  EXPECT_EQ(catalog::privileges_with_owner_marked("", "alice"), "");
  EXPECT_EQ(catalog::privileges_with_owner_marked("{bob=r/carol}", "alice"), "{bob=r/carol}");
}

TEST(DiffCompare, AnOwnerChangeIsOneDifferenceNotTwo) {
  Object column_a = column("app", "t", "id", 1);
  column_a.attributes["privileges"] = "{bob=w/alice}";
  Object column_b = column("app", "t", "id", 1);
  column_b.attributes["privileges"] = "{bob=w/carol}";
  Catalog a = catalog_of({table("app", "t", {{"owner", "alice"}, {"privileges", "{alice=arwdDxt/alice,bob=r/alice}"}}), column_a});
  Catalog b = catalog_of({table("app", "t", {{"owner", "carol"}, {"privileges", "{carol=arwdDxt/carol,bob=r/carol}"}}), column_b});
  auto changes = diff::compare(a, b, {});
  ASSERT_EQ(changes.differences.size(), 1u);
  EXPECT_EQ(changes.differences[0].attribute, "owner");
  // A grant that differs besides the owner is still a difference.
  for (auto& object : b.objects) {
    if (object.id.kind == Kind::table) object.attributes["privileges"] = "{carol=arwdDxt/carol,bob=rw/carol}";
  }
  changes = diff::compare(a, b, {});
  ASSERT_EQ(changes.differences.size(), 2u);
  EXPECT_EQ(changes.differences[1].attribute, "privileges");
}

TEST(PrivilegeLists, ItemsSortedInEachListQuotedNamesKept) {
  EXPECT_EQ(catalog::privilege_items_sorted("{b=r/o,a=w/o}"), "{a=w/o,b=r/o}");
  EXPECT_EQ(catalog::privilege_items_sorted("{=U/o,\"a{,}\"=r/o}"), "{\"a{,}\"=r/o,=U/o}");
  EXPECT_EQ(catalog::privilege_items_sorted("{o=X/o,=X/o} (after CREATE EXTENSION: {o=X/o,b=X/o})"),
            "{=X/o,o=X/o} (after CREATE EXTENSION: {b=X/o,o=X/o})");
  EXPECT_EQ(catalog::privilege_items_sorted(""), "");
  EXPECT_EQ(catalog::privilege_items_sorted("{}"), "{}");
  EXPECT_EQ(catalog::privilege_items_sorted("{b=r/o,a"), "{b=r/o,a");
  EXPECT_TRUE(catalog::is_privilege_attribute("privileges"));
  EXPECT_TRUE(catalog::is_privilege_attribute("privileges.member:TABLE public.t"));
  EXPECT_TRUE(catalog::is_privilege_attribute("column_privileges:c"));
  EXPECT_FALSE(catalog::is_privilege_attribute("privileged"));
}

TEST(DiffCompare, ChildrenOfATableOnOneSideAreCountedNotListed) {
  Catalog a = catalog_of({table("app", "gone"), column("app", "gone", "id", 1), column("app", "gone", "x", 2),
                          object(Kind::index, "app", "gone", "gone_x_idx", {{"definition", "CREATE INDEX"}}),
                          table("app", "kept")});
  Catalog b = catalog_of({table("app", "kept"), table("app", "new"), column("app", "new", "id", 1)});
  auto changes = diff::compare(a, b, {});
  EXPECT_EQ(summary(changes), (Lines{"table app.gone only_in_a", "table app.new only_in_b"}));
  EXPECT_EQ(changes.differences[0].children, (std::map<Kind, size_t>{{Kind::column, 2}, {Kind::index, 1}}));
  EXPECT_EQ(changes.differences[1].children, (std::map<Kind, size_t>{{Kind::column, 1}}));
}

TEST(DiffCompare, ChildrenOfATableOnBothSidesAreListed) {
  Catalog a = catalog_of({table("app", "t"), column("app", "t", "id", 1)});
  Catalog b = catalog_of({table("app", "t"), column("app", "t", "id", 1), column("app", "t", "extra", 2)});
  EXPECT_EQ(summary(diff::compare(a, b, {})), (Lines{"column app.t.extra only_in_b"}));
}

TEST(DiffCompare, SequencePositionsAreComparedOnlyOnRequest) {
  auto seq = [](std::string last) {
    return object(Kind::sequence, "app", "", "s", {{"increment", "1"}, {"data.last_value", last}, {"data.is_called", "t"}});
  };
  Catalog a = catalog_of({seq("10")});
  Catalog b = catalog_of({seq("42")});
  EXPECT_TRUE(diff::compare(a, b, {}).empty());
  DiffOptions with_data;
  with_data.sequence_positions = true;
  EXPECT_EQ(summary(diff::compare(a, b, with_data)),
            (Lines{"sequence app.s changed data.last_value [10] [42]"}));
}

TEST(DiffCompare, IgnoreOptionsDropTheirAttributesOnly) {
  Catalog a = catalog_of({table("app", "t", {{"comment", "x"}, {"owner", "alice"}, {"privileges", "{a=r/a}"},
                                             {"persistence", "permanent"}}),
                          object(Kind::default_privilege, "", "", "FOR ROLE alice GRANT SELECT ON TABLES TO bob")});
  Catalog b = catalog_of({table("app", "t", {{"comment", "y"}, {"owner", "bob"}, {"privileges", "{b=r/b}"},
                                             {"persistence", "permanent"}})});
  EXPECT_EQ(summary(diff::compare(a, b, {})).size(), 4u);
  DiffOptions options;
  options.ignore_comments = true;
  EXPECT_EQ(summary(diff::compare(a, b, options)).size(), 3u);
  options.ignore_ownership = true;
  EXPECT_EQ(summary(diff::compare(a, b, options)).size(), 2u);
  options.ignore_privileges = true;  // the privileges attribute and default privileges as a kind
  EXPECT_TRUE(diff::compare(a, b, options).empty());
  // A real change is still reported with everything ignored.
  b.objects[0].attributes["persistence"] = "unlogged";
  EXPECT_EQ(summary(diff::compare(a, b, options)),
            (Lines{"table app.t changed persistence [permanent] [unlogged]"}));
}

TEST(DiffCompare, IgnoreOptionsCoverPerColumnCommentsAndPrivilegesOfViews) {
  Catalog a = catalog_of({object(Kind::view, "app", "", "v", {{"column_comment:x", "old"}, {"column_privileges:x", "{a=r/a}"}})});
  Catalog b = catalog_of({object(Kind::view, "app", "", "v", {{"column_comment:x", "new"}})});
  EXPECT_EQ(diff::compare(a, b, {}).differences.size(), 2u);
  DiffOptions options;
  options.ignore_comments = true;
  options.ignore_privileges = true;
  EXPECT_TRUE(diff::compare(a, b, options).empty());
}

TEST(DiffCompare, DomainChecksAreMatchedByDefinitionWhenConstraintNamesAreIgnored) {
  auto domain = [](catalog::Attributes checks) {
    checks["type"] = "integer";
    return object(Kind::domain, "app", "", "posint", std::move(checks));
  };
  Catalog a = catalog_of({domain({{"check.posint_check", "CHECK (VALUE > 0)"}, {"check.small", "CHECK (VALUE < 10)"}})});
  Catalog b = catalog_of({domain({{"check.positive", "CHECK (VALUE > 0)"}, {"check.small", "CHECK (VALUE < 20)"}})});
  EXPECT_EQ(summary(diff::compare(a, b, {})),
            (Lines{"domain app.posint changed check.posint_check [CHECK (VALUE > 0)] []",
                   "domain app.posint changed check.positive [] [CHECK (VALUE > 0)]",
                   "domain app.posint changed check.small [CHECK (VALUE < 10)] [CHECK (VALUE < 20)]"}));
  DiffOptions options;
  options.ignore_constraint_names = true;
  EXPECT_EQ(summary(diff::compare(a, b, options)),
            (Lines{"domain app.posint changed check.small [CHECK (VALUE < 10)] [CHECK (VALUE < 20)]"}));
}

TEST(DiffCompare, ColumnOrderIsItsOwnDifference) {
  Catalog a = catalog_of({table("app", "t"), column("app", "t", "a", 1), column("app", "t", "b", 2),
                          column("app", "t", "c", 3)});
  Catalog b = catalog_of({table("app", "t"), column("app", "t", "a", 1), column("app", "t", "c", 2),
                          column("app", "t", "b", 3)});
  auto changes = diff::compare(a, b, {});
  ASSERT_EQ(changes.differences.size(), 1u) << ::testing::PrintToString(summary(changes));
  EXPECT_EQ(changes.differences[0].attribute, "position");
  EXPECT_EQ(changes.differences[0].change, Change::changed);
  DiffOptions options;
  options.ignore_column_order = true;
  EXPECT_TRUE(diff::compare(a, b, options).empty());
}

TEST(DiffCompare, ColumnAddedInTheMiddleMovesNothing) {
  Catalog a = catalog_of({table("app", "t"), column("app", "t", "a", 1), column("app", "t", "c", 2)});
  Catalog b = catalog_of({table("app", "t"), column("app", "t", "a", 1), column("app", "t", "b", 2),
                          column("app", "t", "c", 3)});
  EXPECT_EQ(summary(diff::compare(a, b, {})), (Lines{"column app.t.b only_in_b"}));
}

TEST(DiffCompare, ColumnReversalReportsTheFewestMoves) {
  std::vector<Object> in_a{table("app", "t")}, in_b{table("app", "t")};
  const int n = 5;
  for (int i = 1; i <= n; ++i) {
    in_a.push_back(column("app", "t", "c" + std::to_string(i), i));
    in_b.push_back(column("app", "t", "c" + std::to_string(i), n + 1 - i));
  }
  auto changes = diff::compare(catalog_of(in_a), catalog_of(in_b), {});
  EXPECT_EQ(changes.differences.size(), static_cast<size_t>(n - 1));
  for (const auto& d : changes.differences) EXPECT_EQ(d.attribute, "position");
}

Object index(std::string table_name, std::string name, std::string columns, std::string comment = "") {
  catalog::Attributes attributes{
      {"definition", "CREATE INDEX " + name + " ON app." + table_name + " USING btree (" + columns + ")"}};
  if (!comment.empty()) attributes["comment"] = comment;
  return object(Kind::index, "app", std::move(table_name), std::move(name), std::move(attributes));
}

TEST(DiffCompare, RenamedIndexIsTwoDifferencesUnlessNamesAreIgnored) {
  Catalog a = catalog_of({table("app", "t"), index("t", "t_x_idx", "x")});
  Catalog b = catalog_of({table("app", "t"), index("t", "t_x_index", "x")});
  EXPECT_EQ(summary(diff::compare(a, b, {})),
            (Lines{"index app.t_x_idx only_in_a", "index app.t_x_index only_in_b"}));
  DiffOptions options;
  options.ignore_index_names = true;
  EXPECT_TRUE(diff::compare(a, b, options).empty());
  options.ignore_index_names = false;
  options.ignore_constraint_names = true;  // the other switch leaves indexes alone
  EXPECT_EQ(diff::compare(a, b, options).differences.size(), 2u);
}

TEST(DiffCompare, RenamedIndexWithAnotherDefinitionIsNotMatched) {
  Catalog a = catalog_of({table("app", "t"), index("t", "t_x_idx", "x")});
  Catalog b = catalog_of({table("app", "t"), index("t", "t_y_idx", "y")});
  DiffOptions options;
  options.ignore_index_names = true;
  EXPECT_EQ(summary(diff::compare(a, b, options)),
            (Lines{"index app.t_x_idx only_in_a", "index app.t_y_idx only_in_b"}));
}

TEST(DiffCompare, IndexNamedLikeItsColumnIsMatchedOnlyByItsOwnName) {
  // The name is taken out once, where pg_get_indexdef writes it; "id" in the column list stays.
  Catalog a = catalog_of({table("app", "t"), index("t", "id", "id")});
  Catalog b = catalog_of({table("app", "t"), index("t", "t_id_idx", "id")});
  DiffOptions options;
  options.ignore_index_names = true;
  EXPECT_TRUE(diff::compare(a, b, options).empty());
}

TEST(DiffCompare, RenamedIndexMatchedByDefinitionStillReportsOtherChanges) {
  Catalog a = catalog_of({table("app", "t"), index("t", "t_x_idx", "x", "old")});
  Catalog b = catalog_of({table("app", "t"), index("t", "t_x_index", "x", "new")});
  DiffOptions options;
  options.ignore_index_names = true;
  auto changes = diff::compare(a, b, options);
  ASSERT_EQ(summary(changes), (Lines{"index app.t_x_idx changed comment [old] [new]"}));
  EXPECT_EQ(changes.differences[0].renamed_in_b, "app.t_x_index");
}

TEST(DiffCompare, PartitionIndexesFollowTheirRenamedParentWhenNamesAreIgnored) {
  Object parent_a = index("parted", "parted_x_idx", "x");
  Object parent_b = index("parted", "parted_x_index", "x");
  Object child_a = index("parted_1", "parted_1_x_idx", "x");
  child_a.attributes["attached_to"] = "app.parted_x_idx";
  Object child_b = child_a;
  child_b.attributes["attached_to"] = "app.parted_x_index";
  Catalog a = catalog_of({table("app", "parted"), table("app", "parted_1"), parent_a, child_a});
  Catalog b = catalog_of({table("app", "parted"), table("app", "parted_1"), parent_b, child_b});
  EXPECT_EQ(diff::compare(a, b, {}).differences.size(), 3u);
  DiffOptions options;
  options.ignore_index_names = true;
  EXPECT_TRUE(diff::compare(a, b, options).empty()) << ::testing::PrintToString(summary(diff::compare(a, b, options)));
  // Attached to another index altogether: still a difference.
  b.objects[3].attributes["attached_to"] = "app.elsewhere_idx";
  b.sort_by_id();
  EXPECT_EQ(summary(diff::compare(a, b, options)),
            (Lines{"index app.parted_1_x_idx changed attached_to [app.parted_x_idx] [app.elsewhere_idx]"}));
}

TEST(DiffCompare, RenamedConstraintsArePairedWithinTheirTable) {
  auto check = [](std::string table_name, std::string name, std::string expression) {
    return object(Kind::constraint, "app", std::move(table_name), std::move(name),
                  {{"definition", "CHECK (" + expression + ")"}, {"type", "c"}});
  };
  Catalog a = catalog_of({table("app", "t"), table("app", "u"), check("t", "t_check", "x > 0"),
                          check("u", "u_check", "x > 0")});
  Catalog b = catalog_of({table("app", "t"), table("app", "u"), check("t", "positive", "x > 0"),
                          check("u", "u_check_renamed", "x > 1")});
  DiffOptions options;
  options.ignore_constraint_names = true;
  EXPECT_EQ(summary(diff::compare(a, b, options)),
            (Lines{"constraint u_check ON app.u only_in_a", "constraint u_check_renamed ON app.u only_in_b"}));
}

TEST(DiffCompare, UnsupportedObjectsOnOneSideMakeTheCatalogsDifferent) {
  Catalog a = catalog_of({});
  Catalog b = catalog_of({});
  a.unsupported.push_back({"text search configuration", "public.cfg", "not modelled"});
  b.unsupported = a.unsupported;
  EXPECT_TRUE(diff::compare(a, b, {}).identical());
  b.unsupported.clear();
  auto changes = diff::compare(a, b, {});
  EXPECT_TRUE(changes.empty());
  EXPECT_FALSE(changes.identical());
  ASSERT_EQ(changes.unsupported_only_in_a.size(), 1u);
  EXPECT_EQ(changes.unsupported_only_in_a[0].identity, "public.cfg");
}

TEST(DiffCompare, AnUnsupportedObjectWhoseStateDiffersIsChanged) {
  Catalog a = catalog_of({});
  Catalog b = catalog_of({});
  a.unsupported.push_back({"language", "plx", "not modelled; owner a"});
  b.unsupported.push_back({"language", "plx", "not modelled; owner b"});
  auto changes = diff::compare(a, b, {});
  EXPECT_TRUE(changes.empty());
  EXPECT_FALSE(changes.identical());
  EXPECT_TRUE(changes.unsupported_only_in_a.empty() && changes.unsupported_only_in_b.empty());
  ASSERT_EQ(changes.unsupported_changed.size(), 1u);
  EXPECT_EQ(changes.unsupported_changed[0].reason, "not modelled; owner b");
  std::string text = diff::render_text(changes, {});
  EXPECT_NE(text.find("1 difference: 0 only in A, 0 only in B, 1 changed\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  changed    language plx\n    A: not modelled; owner a\n    B: not modelled; owner b\n"),
            std::string::npos)
      << text;
  auto json = diff::to_json(changes);
  EXPECT_EQ(json["identical"], false);
  EXPECT_EQ(json["unsupported"]["a"][0]["changed"], true);
  EXPECT_EQ(json["unsupported"]["b"][0]["changed"], true);
  EXPECT_EQ(json["unsupported"]["b"][0]["only_here"], false);
}

TEST(DiffCompare, LargeCatalogsCompareInOnePass) {
  std::vector<Object> in_a, in_b;
  for (int t = 0; t < 2000; ++t) {
    std::string name = "t" + std::to_string(t);
    in_a.push_back(table("app", name));
    in_b.push_back(table("app", name));
    for (int c = 1; c <= 20; ++c) {
      in_a.push_back(column("app", name, "c" + std::to_string(c), c));
      in_b.push_back(column("app", name, "c" + std::to_string(c), c, t % 100 == 0 && c == 7 ? "bigint" : "integer"));
    }
  }
  auto changes = diff::compare(catalog_of(in_a), catalog_of(in_b), {});
  EXPECT_EQ(changes.differences.size(), 20u);
}

TEST(DiffRender, UnifiedDiffOfTwoTexts) {
  std::string a = "BEGIN\n  x := 1;\n  RETURN x;\nEND\n";
  std::string b = "BEGIN\n  x := 2;\n  RETURN x;\nEND\n";
  EXPECT_EQ(diff::unified_diff(a, b, "  ", false),
            "  --- A\n"
            "  +++ B\n"
            "  @@ -1,4 +1,4 @@\n"
            "   BEGIN\n"
            "  -  x := 1;\n"
            "  +  x := 2;\n"
            "     RETURN x;\n"
            "   END\n");
}

TEST(DiffRender, UnifiedDiffWhenBIsLonger) {
  // dtl swaps its inputs internally when A is the shorter one; the signs must not flip.
  EXPECT_EQ(diff::unified_diff("a\n", "a\nb\nc\n", "", false),
            "--- A\n+++ B\n@@ -1,1 +1,3 @@\n a\n+b\n+c\n");
  EXPECT_EQ(diff::unified_diff("a\nb\nc\n", "a\n", "", false),
            "--- A\n+++ B\n@@ -1,3 +1,1 @@\n a\n-b\n-c\n");
}

TEST(DiffRender, UnifiedDiffOfAFinalLineBreakOnly) {
  EXPECT_EQ(diff::unified_diff("x\n", "x", "", false),
            "--- A\n+++ B\n(the values differ only in a final line break: A has one, B has none)\n");
}

TEST(DiffRender, LongValuesAndDefinitionsOfRoutinesAreShownAsDiffs) {
  EXPECT_FALSE(diff::shown_as_diff(Kind::table, "comment", "short", "other"));
  EXPECT_TRUE(diff::shown_as_diff(Kind::table, "comment", std::string(81, 'x'), "y"));
  EXPECT_TRUE(diff::shown_as_diff(Kind::table, "comment", "two\nlines", "y"));
  EXPECT_TRUE(diff::shown_as_diff(Kind::function, "definition", "a", "b"));
  EXPECT_TRUE(diff::shown_as_diff(Kind::view, "definition", "a", "b"));
  EXPECT_FALSE(diff::shown_as_diff(Kind::constraint, "definition", "CHECK (a)", "CHECK (b)"));
}

TEST(DiffRender, TextReportOfNoDifferences) {
  Catalog a = catalog_of({table("app", "t"), column("app", "t", "id", 1)});
  EXPECT_EQ(diff::render_text(diff::compare(a, a, {}), {false, "db1", "db2"}),
            "A: db1\n"
            "B: db2\n"
            "\n"
            "Objects                      A       B\n"
            "  tables                     1       1\n"
            "  columns                    1       1\n"
            "\n"
            "No differences.\n");
}

TEST(DiffRender, TextReportGroupsByKindThenChange) {
  Object f_a = object(Kind::function, "app", "", "f", {{"definition", "BEGIN\n  RETURN 1;\nEND"}});
  f_a.id.signature = "integer";
  Object f_b = f_a;
  f_b.attributes["definition"] = "BEGIN\n  RETURN 2;\nEND";
  Catalog a = catalog_of({table("Audit Log", "gone"), column("Audit Log", "gone", "id", 1),
                          table("app", "t", {{"comment", "old"}}), f_a});
  Catalog b = catalog_of({table("app", "t", {{"comment", ""}}), table("app", "order"), f_b});
  EXPECT_EQ(diff::render_text(diff::compare(a, b, {}), {}),
            "Objects                      A       B\n"
            "  functions                  1       1\n"
            "  tables                     2       2\n"
            "  columns                    1       0  *\n"
            "\n"
            "4 differences: 1 only in A, 1 only in B, 2 changed\n"
            "\n"
            "functions\n"
            "  changed    app.f(integer)\n"
            "    definition\n"
            "      --- A\n"
            "      +++ B\n"
            "      @@ -1,3 +1,3 @@\n"
            "       BEGIN\n"
            "      -  RETURN 1;\n"
            "      +  RETURN 2;\n"
            "       END\n"
            "\n"
            "tables\n"
            "  only in A  \"Audit Log\".gone  (with 1 column)\n"
            "  only in B  app.\"order\"\n"
            "  changed    app.t\n"
            "    comment\n"
            "      A: old\n"
            "      B: (none)\n");
}

TEST(DiffRender, ColourOnlyWhenAsked) {
  Catalog a = catalog_of({table("app", "t")});
  Catalog b = catalog_of({});
  auto changes = diff::compare(a, b, {});
  EXPECT_EQ(diff::render_text(changes, {}).find('\x1b'), std::string::npos);
  EXPECT_NE(diff::render_text(changes, {true, "", ""}).find("\x1b[31m  only in A  app.t\x1b[0m"),
            std::string::npos);
}

TEST(DiffRender, TextReportListsUnsupportedObjects) {
  Catalog a = catalog_of({});
  Catalog b = catalog_of({});
  a.unsupported.push_back({"text search configuration", "public.cfg", "not modelled"});
  a.unsupported.push_back({"text search dictionary", "public.dict", ""});
  b.unsupported.push_back({"text search dictionary", "public.dict", ""});
  std::string text = diff::render_text(diff::compare(a, b, {}), {});
  EXPECT_NE(text.find("1 difference: 1 only in A, 0 only in B, 0 changed\n"), std::string::npos) << text;
  EXPECT_NE(text.find("not compared (the model does not cover them)\n"
                      "  only in A  text search configuration public.cfg: not modelled\n"
                      "  in both    text search dictionary public.dict\n"),
            std::string::npos)
      << text;
}

TEST(DiffRender, JsonHasTheDocumentedKeys) {
  Catalog a = catalog_of({table("app", "gone"), column("app", "gone", "id", 1), table("app", "t", {{"comment", "x"}})});
  Catalog b = catalog_of({table("app", "t", {{"comment", "y"}})});
  b.unsupported.push_back({"text search configuration", "public.cfg", "not modelled"});
  auto json = diff::to_json(diff::compare(a, b, {}));
  EXPECT_EQ(json["identical"], false);
  EXPECT_EQ(json["counts"]["table"]["a"], 2);
  EXPECT_EQ(json["counts"]["table"]["b"], 1);
  EXPECT_EQ(json["counts"]["materialized_view"]["a"], 0);
  ASSERT_EQ(json["differences"].size(), 2u);
  const auto& gone = json["differences"][0];
  EXPECT_EQ(gone["kind"], "table");
  EXPECT_EQ(gone["identity"], "app.gone");
  EXPECT_EQ(gone["change"], "only_in_a");
  EXPECT_TRUE(gone["attribute"].is_null());
  EXPECT_TRUE(gone["a"].is_null());
  EXPECT_TRUE(gone["b"].is_null());
  EXPECT_EQ(gone["children"]["column"], 1);
  const auto& changed = json["differences"][1];
  EXPECT_EQ(changed["change"], "changed");
  EXPECT_EQ(changed["attribute"], "comment");
  EXPECT_EQ(changed["a"], "x");
  EXPECT_EQ(changed["b"], "y");
  EXPECT_TRUE(changed["renamed_in_b"].is_null());
  EXPECT_EQ(json["unsupported"]["a"].size(), 0u);
  ASSERT_EQ(json["unsupported"]["b"].size(), 1u);
  EXPECT_EQ(json["unsupported"]["b"][0]["identity"], "public.cfg");
  EXPECT_EQ(json["unsupported"]["b"][0]["only_here"], true);
  // Keys come out sorted: the same input gives byte-identical JSON.
  EXPECT_EQ(diff::render_json(diff::compare(a, b, {})), diff::render_json(diff::compare(a, b, {})));
  EXPECT_EQ(diff::render_json(diff::compare(a, b, {})).substr(0, 14), "{\n  \"counts\": ");
}

}  // namespace
