#pragma once
// Reads the rows of every user table of a catalog that holds rows, for the data section of a
// script (ddl/data.hpp renders them). One REPEATABLE READ, READ ONLY transaction, with the
// session set so that the server's text output is unambiguous and round-trips: TimeZone UTC,
// DateStyle ISO, IntervalStyle postgres, extra_float_digits 3, bytea_output hex.
#include <pqxx/connection>
#include <string>

#include "catalog/model.hpp"
#include "ddl/data.hpp"

namespace schemakit::introspect {

// Tables of `catalog` (partitions through their leaf tables; partitioned parents hold no rows;
// inheritance parents read with ONLY), generated columns left out, rows ordered by primary key,
// else by the text of every column (COLLATE "C"), so the order is deterministic. Query count:
// one for the primary keys, one per 500 tables to find those with rows, one per table with rows.
ddl::TableData read_table_data(pqxx::connection& connection, const catalog::Catalog& catalog);
ddl::TableData read_table_data(const std::string& conninfo, const catalog::Catalog& catalog);

}  // namespace schemakit::introspect
