#include "ddl/script.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "catalog/attributes.hpp"
#include "catalog/core_attributes.hpp"
#include "catalog/start_state.hpp"
#include "ddl/privileges.hpp"
#include "ddl/quote.hpp"
#include "ddl/start_state.hpp"
#include "ddl/writer.hpp"
#include "order/order.hpp"

namespace schemakit::ddl {
namespace {

using catalog::Kind;
using catalog::Object;
namespace attr = catalog::attr;

// What every new database's `public` schema already has (PostgreSQL 15 and later): writing it
// again would only be noise.
bool is_builtin_public_value(const Object& object, std::string_view name, const std::string& value) {
  if (object.id.kind != Kind::schema || object.id.name != "public") return false;
  if (name == attr::owner) return value == "pg_database_owner";
  if (name == attr::comment) return value == "standard public schema";
  // In a new database's order: the same grants in another order print otherwise in pg_dump.
  if (name == attr::privileges) return value == "{pg_database_owner=UC/pg_database_owner,=U/pg_database_owner}";
  return false;
}

// `public` as a new database has it (PostgreSQL 15 and later: owned by pg_database_owner; before,
// by the bootstrap superuser, normally the role that replays). up.sql writes what the migrations
// changed on it, down.sql puts that back; never when the migrations dropped it (attr::dropped:
// the schema's writer drops and makes it).
bool is_start_state_public(const Object& object) {
  return object.id.kind == Kind::schema && object.id.name == "public" && !object.has(attr::dropped);
}

// down.sql for `public`: it is never dropped, so what up.sql changed on it (grants, comment,
// owner) is put back to what every new database has. Everything granted is revoked and the
// start grants made again after the owner is back, which writes them in a new database's order.
std::string restore_builtin_public(const Object& schema, int server_version, const std::string& running_role) {
  if (!is_start_state_public(schema)) return {};
  std::string sql;
  const std::string& owner = schema.attr(attr::owner);
  const bool owner_changed = server_version >= 150000 && schema.has(attr::owner) &&
                             !is_builtin_public_value(schema, attr::owner, owner);
  const std::string& acl = schema.attr(attr::privileges);
  // ALTER ... OWNER TO moves the old owner's entries to the new one: an ACL that is the start
  // one with the new owner comes back with the owner alone.
  const bool acl_changed = schema.has(attr::privileges) && !owner.empty() &&
                           !is_start_public_acl(acl, owner, server_version);
  if (acl_changed) {
    std::set<std::string> grantees;
    for (const AclEntry& entry : parse_acl(acl)) grantees.insert(entry.grantee);
    for (const std::string& grantee : grantees) {
      sql += fmt::format("REVOKE ALL ON SCHEMA public FROM {} CASCADE;\n", grant_role_sql(grantee, running_role));
    }
  }
  if (owner_changed) sql += "ALTER SCHEMA public OWNER TO pg_database_owner;\n";
  if (acl_changed) {
    sql += fmt::format("GRANT ALL ON SCHEMA public TO {};\nGRANT {} ON SCHEMA public TO PUBLIC;\n",
                       server_version >= 150000 ? std::string("pg_database_owner") : grant_role_sql(owner, running_role),
                       server_version >= 150000 ? "USAGE" : "ALL");
  }
  const std::string& comment = schema.attr(attr::comment);
  if (!is_builtin_public_value(schema, attr::comment, comment)) {
    sql += "COMMENT ON SCHEMA public IS 'standard public schema';\n";
  }
  return sql;
}

std::string commented_lines(const std::string& text) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + at, end - at);
    out += line.empty() ? "--\n" : "-- " + std::string(line) + "\n";
    at = end + 1;
  }
  return out;
}

std::string label(const Object& object) {
  return fmt::format("-- {} {}\n", catalog::to_string(object.id.kind), catalog::display_name(object.id));
}

bool is_fresh_sequence(const Object& object, const std::string& prefix) {
  return object.attr(attr::sequence_is_called) != "true" &&
         object.attr(attr::sequence_last_value) == object.attr(prefix + attr::sequence_start);
}

// The catalog as the writers see it when some defaults are set separately: those columns
// without their default, so that their table is created without it. Empty when there are none.
catalog::Catalog without_defaults(const catalog::Catalog& catalog, const std::set<catalog::ObjectId>& columns) {
  if (columns.empty()) return {};
  catalog::Catalog copy = catalog;
  for (auto& object : copy.objects) {
    if (columns.count(object.id) > 0) object.attributes.erase(attr::default_value);
  }
  return copy;
}

class ScriptWriter {
 public:
  ScriptWriter(const catalog::Catalog& catalog, const TableData* data, const ScriptOptions& options)
      : creation_(order::creation_plan(catalog)),
        with_separate_defaults_(without_defaults(catalog, creation_.separate_defaults)),
        catalog_(creation_.separate_defaults.empty() ? catalog : with_separate_defaults_),
        data_(data),
        options_(options) {}

  Script write() {
    plan();
    Script script;
    script.up = up();
    script.down = down();
    return script;
  }

 private:
  bool left_out(const Object& object) const {
    return options_.leave_out.count(object.id) > 0 ||
           options_.leave_out.count(order::writing_object(catalog_, object.id)) > 0;
  }

  // Creation order, and each object's section: its writer's, or a later one when it depends on
  // an object of a later section (a view on a primary key moves to post-data).
  void plan() {
    std::map<catalog::ObjectId, Section> section_of;
    for (const Object* object : creation_.objects) {
      const catalog::ObjectId writer_id = order::writing_object(catalog_, object->id);
      const bool separate_default = creation_.separate_defaults.count(object->id) > 0;
      Section section = writer_for(object->id.kind).section;
      if (writer_id != object->id && !separate_default) {
        section = section_of.count(writer_id) ? section_of[writer_id] : section;
      } else {
        if (separate_default && section_of.count(writer_id)) section = std::max(section, section_of[writer_id]);
        for (const auto& dep : object->depends_on) {
          auto it = section_of.find(order::writing_object(catalog_, dep));
          if (it != section_of.end()) section = std::max(section, it->second);
        }
      }
      section_of[object->id] = section;
      if (left_out(*object)) continue;
      if (section == Section::last) {
        last_.push_back(object);
        continue;
      }
      (section == Section::post_data ? post_data_ : pre_data_).push_back(object);
      if (section == Section::post_data) in_post_data_.insert(object);
      ordered_.push_back(object);
    }
  }

  std::string owner_and_comment(const Object& object) const {
    const KindWriter& writer = writer_for(object.id.kind);
    std::string sql;
    if (writer.reference == nullptr) return sql;
    const std::string& owner = object.attr(attr::owner);
    if (options_.with_ownership && !owner.empty() && !is_builtin_public_value(object, attr::owner, owner)) {
      if (owner != options_.skip_owner) {
        sql += fmt::format("ALTER {} OWNER TO {};\n", writer.reference(object), quote_ident(owner));
      } else if (is_start_state_public(object) && catalog_.server_version >= 150000) {
        // public starts out pg_database_owner's; the role that replayed took it, so the role
        // running the script takes it (before 15 it starts out the bootstrap superuser's).
        sql += "ALTER SCHEMA public OWNER TO CURRENT_USER;\n";
      }
    }
    const std::string& comment = object.attr(attr::comment);
    if (options_.with_comments && object.has(attr::comment) && !is_builtin_public_value(object, attr::comment, comment)) {
      sql += fmt::format("COMMENT ON {} IS {};\n", writer.reference(object), quote_literal(comment));
    } else if (options_.with_comments && !object.has(attr::comment) && is_start_state_public(object)) {
      sql += "COMMENT ON SCHEMA public IS NULL;\n";  // a new database's public has one
    }
    const std::string index_comment = attr::constraint_index_comment;
    if (options_.with_comments && object.id.kind == Kind::constraint && object.has(index_comment)) {
      // The index of a key or exclusion constraint has the constraint's name.
      sql += fmt::format("COMMENT ON INDEX {} IS {};\n", qualified(object.id.schema, object.id.name),
                         quote_literal(object.attr(index_comment)));
    }
    const std::string sequence_comment = attr::identity_sequence_comment;
    if (options_.with_comments && object.has(sequence_comment) && object.has(attr::identity_sequence)) {
      sql += fmt::format("COMMENT ON SEQUENCE {} IS {};\n", object.attr(attr::identity_sequence),
                         quote_literal(object.attr(sequence_comment)));
    }
    return sql;
  }

  std::string privileges(const Object& object) const {
    if (object.id.kind == Kind::column) return column_privileges(object);
    if (object.id.kind == Kind::extension) {
      return extension_member_privileges(object, catalog_.server_version, options_.skip_owner);
    }
    if (!object.has(attr::privileges)) return {};
    if (object.id.kind == Kind::role || object.id.kind == Kind::default_privilege ||
        object.id.kind == Kind::database_setting) {
      return {};  // their writers say everything
    }
    const std::string& acl = object.attr(attr::privileges);
    if (is_builtin_public_value(object, attr::privileges, acl)) return {};
    const KindWriter& writer = writer_for(object.id.kind);
    if (writer.reference == nullptr) return {};
    if (is_start_state_public(object) && object.has(attr::owner)) {
      // From the grants public has in a new database, moved to its owner by ALTER ... OWNER TO.
      const std::vector<AclEntry> start = start_public_acl(object.attr(attr::owner), catalog_.server_version);
      return privilege_statements("SCHEMA public", Kind::schema, object.attr(attr::owner), acl,
                                  catalog_.server_version, "", options_.skip_owner, &start);
    }
    return privilege_statements(grant_target(writer.reference(object)), object.id.kind, object.attr(attr::owner), acl,
                                catalog_.server_version, "", options_.skip_owner);
  }

  // Column grants, and the grants on an identity column's sequence, which is its table's
  // (owned by the table's owner) but has an ACL of its own (GRANT ... ON ALL SEQUENCES and
  // default privileges ON SEQUENCES reach it).
  std::string column_privileges(const Object& column) const {
    const Object* table = catalog_.find(order::writing_object(catalog_, column.id));
    if (table == nullptr) return {};
    std::string sql;
    if (column.has(attr::privileges)) {
      sql += privilege_statements(grant_target(writer_for(table->id.kind).reference(*table)), Kind::column,
                                  table->attr(attr::owner), column.attr(attr::privileges), catalog_.server_version,
                                  column.id.name, options_.skip_owner);
    }
    const std::string sequence_acl = attr::identity_sequence_privileges;
    if (column.has(sequence_acl) && column.has(attr::identity_sequence)) {
      sql += privilege_statements("SEQUENCE " + column.attr(attr::identity_sequence), Kind::sequence,
                                  table->attr(attr::owner), column.attr(sequence_acl), catalog_.server_version, "",
                                  options_.skip_owner);
    }
    return sql;
  }

  std::string create_block(const Object& object) const {
    const KindWriter& writer = writer_for(object.id.kind);
    std::string sql = writer.create_as ? writer.create_as(object, catalog_, options_.skip_owner)
                      : writer.create  ? writer.create(object, catalog_)
                                       : std::string();
    if (creation_.separate_defaults.count(object.id) > 0) {
      // `object` is the source catalog's column: it still has its default.
      sql += fmt::format("ALTER TABLE ONLY {} ALTER COLUMN {} SET DEFAULT {};\n",
                         qualified(object.id.schema, object.id.table), quote_ident(object.id.name),
                         object.attr(attr::default_value));
    }
    sql += owner_and_comment(object);
    return sql.empty() ? sql : label(object) + sql + "\n";
  }

  std::string sequence_positions() const {
    std::string sql;
    for (const Object* object : ordered_) {
      std::string sequence;
      if (object->id.kind == Kind::sequence) {
        if (!object->has(attr::sequence_last_value) || is_fresh_sequence(*object, "")) continue;
        sequence = qualified(object->id.schema, object->id.name);
      } else if (object->id.kind == Kind::column && object->has(attr::identity_sequence)) {
        if (!object->has(attr::sequence_last_value) || is_fresh_sequence(*object, attr::identity_prefix)) continue;
        sequence = object->attr(attr::identity_sequence);
      } else {
        continue;
      }
      sql += fmt::format("SELECT pg_catalog.setval({}, {}, {});\n", quote_literal(sequence),
                         object->attr(attr::sequence_last_value),
                         object->attr(attr::sequence_is_called) == "true" ? "true" : "false");
    }
    return sql;
  }

  std::string up() const {
    std::string sql = commented_lines(options_.header);
    if (!sql.empty()) sql += "\n";
    sql +=
        "BEGIN;\n"
        "SET LOCAL check_function_bodies = false;\n"
        "SET LOCAL client_min_messages = warning;\n"
        "SET LOCAL standard_conforming_strings = on;\n" +
        fmt::format("SELECT pg_catalog.set_config('search_path', {}, true);\n",
                    quote_literal(session_search_path(catalog_)));
    if (options_.with_data) sql += "SET LOCAL TimeZone = 'UTC';\nSET LOCAL DateStyle = 'ISO, YMD';\nSET LOCAL IntervalStyle = 'postgres';\n";

    sql += "\n--\n-- Pre-data\n--\n\n";
    for (const Object* object : pre_data_) sql += create_block(*object);

    if (options_.with_data) {
      std::string rows;
      if (data_ != nullptr) {
        for (const auto& table : data_->tables) {
          if (options_.leave_out.count(table.table) || table.rows.empty()) continue;
          rows += fmt::format("-- rows of {} ({})\n", catalog::display_name(table.table), table.rows.size());
          rows += insert_statements(table, options_.rows_per_insert) + "\n";
        }
      }
      std::string positions = sequence_positions();
      if (!positions.empty()) rows += "-- sequence positions\n" + positions + "\n";
      if (!rows.empty()) sql += "--\n-- Data\n--\n\n" + rows;
    }

    std::string post;
    for (const Object* object : ordered_) {
      const KindWriter& writer = writer_for(object->id.kind);
      const bool in_post = in_post_data_.count(object) > 0;
      std::string text = in_post ? create_block(*object) : std::string();
      if (writer.post_data != nullptr) {
        std::string later = writer.post_data(*object, catalog_);
        if (!later.empty()) text += label(*object) + later + "\n";
      }
      post += text;
    }
    for (const Object* object : ordered_) {
      const KindWriter& writer = writer_for(object->id.kind);
      if (writer.finish == nullptr) continue;
      std::string text = writer.finish(*object, catalog_);
      if (!text.empty()) post += label(*object) + text + "\n";
    }
    if (options_.with_privileges) {
      std::string grants;
      for (const Object* object : ordered_) {
        std::string text = privileges(*object);
        if (!text.empty()) grants += label(*object) + text;
      }
      if (!grants.empty()) post += "-- Privileges\n\n" + grants + "\n";
    }
    if (!post.empty()) sql += "--\n-- Post-data\n--\n\n" + post;
    if (!last_.empty()) {
      sql += "--\n-- Event triggers: last, so that none fires on the statements above\n--\n\n";
      for (const Object* object : last_) {
        sql += create_block(*object);
        if (options_.with_privileges) sql += privileges(*object);
      }
    }
    sql += "COMMIT;\n";
    return sql;
  }

  std::string down() const {
    std::string sql = commented_lines(options_.header);
    if (!sql.empty()) sql += "\n";
    sql +=
        "BEGIN;\n"
        "SET LOCAL client_min_messages = warning;\n"
        "SET LOCAL search_path = '';\n\n";
    const std::set<const Object*> released = sequences_used_beyond_their_owner();
    for (const Object* sequence : released) {
      sql += label(*sequence) + fmt::format("ALTER SEQUENCE {} OWNED BY NONE;\n",
                                            qualified(sequence->id.schema, sequence->id.name));
    }
    // Event triggers go first: none may fire on the drops that follow.
    std::vector<const Object*> reverse(pre_data_.begin(), pre_data_.end());
    reverse.insert(reverse.end(), post_data_.begin(), post_data_.end());
    reverse.insert(reverse.end(), last_.begin(), last_.end());
    std::reverse(reverse.begin(), reverse.end());
    for (const Object* object : reverse) {
      if (object->id.kind == Kind::role) continue;  // other databases may use them
      const KindWriter& writer = writer_for(object->id.kind);
      std::string text = writer.drop_as ? writer.drop_as(*object, catalog_, options_.skip_owner)
                         : writer.drop  ? writer.drop(*object, catalog_)
                                        : std::string();
      if (released.count(object) > 0 && text.empty()) {
        text = fmt::format("DROP SEQUENCE {};\n", qualified(object->id.schema, object->id.name));
      }
      text += restore_builtin_public(*object, catalog_.server_version, options_.skip_owner);
      if (object->id.kind == Kind::extension && options_.with_privileges) {
        text += restore_extension_member_privileges(*object, catalog_.server_version, options_.skip_owner);
      }
      if (creation_.separate_defaults.count(object->id) > 0) {
        // Set after what it calls, so dropped before it.
        text += fmt::format("ALTER TABLE ONLY {} ALTER COLUMN {} DROP DEFAULT;\n",
                            qualified(object->id.schema, object->id.table), quote_ident(object->id.name));
      }
      if (!text.empty()) sql += label(*object) + text;
    }
    sql += "\nCOMMIT;\n";
    return sql;
  }

  // Sequences OWNED BY a column that something outside that column's table uses (another
  // table's default: one sequence shared by two tables). Dropping the owning table would drop the
  // sequence under its other users, so down.sql releases them first (OWNED BY NONE) and drops
  // each in its own place, after its users.
  std::set<const Object*> sequences_used_beyond_their_owner() const {
    std::set<const Object*> released;
    for (const Object* sequence : ordered_) {
      if (sequence->id.kind != Kind::sequence || !sequence->has(attr::sequence_owned_by)) continue;
      for (const Object& user : catalog_.objects) {
        if (std::find(user.depends_on.begin(), user.depends_on.end(), sequence->id) == user.depends_on.end()) continue;
        const catalog::ObjectId table = order::writing_object(catalog_, user.id);
        const std::string owner_prefix = qualified(table.schema, table.name) + ".";
        if (sequence->attr(attr::sequence_owned_by).rfind(owner_prefix, 0) != 0) released.insert(sequence);
      }
    }
    return released;
  }

  const order::CreationPlan creation_;  // objects of the source catalog
  const catalog::Catalog with_separate_defaults_;
  const catalog::Catalog& catalog_;  // what the writers see (see without_defaults)
  const TableData* data_;
  const ScriptOptions& options_;
  std::vector<const Object*> pre_data_;
  std::vector<const Object*> post_data_;
  std::vector<const Object*> ordered_;  // every object of pre- and post-data, in creation order
  std::vector<const Object*> last_;     // Section::last, in creation order
  std::set<const Object*> in_post_data_;
};

}  // namespace

std::string session_search_path(const catalog::Catalog& catalog) {
  for (const Object& object : catalog.objects) {
    if (object.id.kind == Kind::database_setting && object.id.table.empty() && object.id.name == "search_path") {
      return object.attr("value");
    }
  }
  return "\"$user\", public";
}

Script write_script(const catalog::Catalog& catalog, const TableData* data, const ScriptOptions& options) {
  return ScriptWriter(catalog, data, options).write();
}

}  // namespace schemakit::ddl
