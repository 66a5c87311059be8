// Table, column, constraint, index and sequence shapes met in real histories that squash got
// wrong: each fixture under tests/fixtures/realistic/<name> (plain layout) is squashed and
// proved, and checked the way an outside check does: the files replayed one session and one
// transaction per file give the same pg_dump --schema-only text as a database built by up.sql.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/squash_fixture.hpp"

using schemakit::testing::SquashFixtureTest;

namespace {

class SquashRelationSweep : public SquashFixtureTest {
 protected:
  void expect_proved_and_same_dump(const std::string& name, const std::vector<std::string>& files) {
    expect_same_dump_as_replay_per_file(name, files);
  }
};

}  // namespace

// PRIMARY KEY / UNIQUE ... WITH (fillfactor = 70): pg_get_constraintdef leaves the index's storage
// parameters out (pg_dump prints them), so up.sql lost them. They are read from the index
// (index_options) and written back inside the definition, before DEFERRABLE; ALTER INDEX ... SET
// would not do for a partitioned table's key. An exclusion's definition carries them already.
TEST_F(SquashRelationSweep, KeyIndexStorageParameters) {
  expect_proved_and_same_dump("key_index_storage_parameters", {"0001_bookings.sql", "0002_tune.sql"});
  if (HasFatalFailure()) return;
  EXPECT_NE(up_sql().find("PRIMARY KEY (id) WITH (fillfactor='70') DEFERRABLE INITIALLY DEFERRED"), std::string::npos)
      << up_sql();
}

// A table attached to an inheritance parent with ALTER TABLE ... INHERIT keeps its columns'
// defaults, none here; CREATE TABLE ... INHERITS gives a merged column without a default the
// parent's. up.sql declares such a column DEFAULT NULL, as pg_dump does, which stores no default.
TEST_F(SquashRelationSweep, InheritedColumnWithoutTheParentsDefault) {
  expect_proved_and_same_dump("inherit_local_column_without_default", {"0001_events.sql", "0002_rows.sql"});
}

// A partitioned table's key made with ALTER TABLE ONLY is invalid, and cannot be referenced,
// until every partition's key is attached to it. A foreign key to it depended only on the parent's
// key, so up.sql wrote it (sorted by table name: invoices before orders_2024_02) before the
// partitions' keys were attached: 42830 "there is no unique constraint matching given keys". It now
// depends on the partitions of the referenced index as well.
TEST_F(SquashRelationSweep, ForeignKeyToAPartitionedTable) {
  expect_proved_and_same_dump("foreign_key_to_partitioned_table", {"0001_orders.sql", "0002_archive.sql"});
}
