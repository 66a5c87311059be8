#pragma once
// The value of a configuration setting, as ALTER DATABASE / ALTER ROLE ... SET name TO <value>
// must write it so that the server stores exactly what was read.
#include <string>

namespace schemakit::ddl {

// `stored` as the server keeps it in pg_db_role_setting ("name=value", after the '='): one
// literal ('64MB'), or for the settings whose stored value is a list of separately quoted items
// (search_path, temp_tablespaces, the *_preload_libraries, unix_socket_directories, as pg_dump
// lists them) one literal per item ('$user', 'public'): given one literal, the server would
// quote the whole list as one item.
std::string setting_value_sql(const std::string& name, const std::string& stored);

}  // namespace schemakit::ddl
