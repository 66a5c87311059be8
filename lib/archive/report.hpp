#pragma once
// Machine-readable forms (--json) of what the archive operations return. Keys are sorted, so the
// output is deterministic.
#include <nlohmann/json.hpp>

#include "archive/operations.hpp"

namespace schemakit::archive {

nlohmann::json to_json(const RecoveryNote& note);
nlohmann::json to_json(const Selection& selection);
nlohmann::json to_json(const SetReport& report);
nlohmann::json to_json(const ArchiveOutcome& outcome);
nlohmann::json to_json(const RestoreOutcome& outcome);

}  // namespace schemakit::archive
