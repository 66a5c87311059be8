#include "migrations/migration.hpp"

#include <array>
#include <utility>

namespace schemakit::migrations {

namespace {

// The names `--format` accepts, which are also the names reports print.
constexpr std::array<std::pair<Layout, const char*>, 8> kLayoutNames{{
    {Layout::hasura, "hasura"},
    {Layout::diesel, "diesel"},
    {Layout::golang_migrate, "golang-migrate"},
    {Layout::plain, "plain"},
    {Layout::flyway, "flyway"},
    {Layout::dbmate, "dbmate"},
    {Layout::goose, "goose"},
    {Layout::prisma, "prisma"},
}};

}  // namespace

std::string to_string(Layout layout) {
  for (const auto& [value, name] : kLayoutNames) {
    if (value == layout) return name;
  }
  return "unknown";
}

std::optional<Layout> layout_from_string(const std::string& name) {
  for (const auto& [value, layout_name] : kLayoutNames) {
    if (name == layout_name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> layout_names() {
  std::vector<std::string> names;
  for (const auto& entry : kLayoutNames) names.emplace_back(entry.second);
  return names;
}

std::string to_string(TxMode mode) {
  switch (mode) {
    case TxMode::transaction:
      return "transaction";
    case TxMode::none:
      return "none";
    case TxMode::as_written:
      return "as-written";
  }
  return "unknown";
}

std::string to_string(CallbackEvent event) {
  switch (event) {
    case CallbackEvent::before_validate:
      return "beforeValidate";
    case CallbackEvent::after_validate:
      return "afterValidate";
    case CallbackEvent::before_migrate:
      return "beforeMigrate";
    case CallbackEvent::before_each_migrate:
      return "beforeEachMigrate";
    case CallbackEvent::after_each_migrate:
      return "afterEachMigrate";
    case CallbackEvent::after_versioned:
      return "afterVersioned";
    case CallbackEvent::before_repeatables:
      return "beforeRepeatables";
    case CallbackEvent::after_migrate_applied:
      return "afterMigrateApplied";
    case CallbackEvent::after_migrate:
      return "afterMigrate";
  }
  return "unknown";
}

}  // namespace schemakit::migrations
