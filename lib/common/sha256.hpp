#pragma once
// SHA-256 through OpenSSL's EVP interface: streaming for large files, one-shot for strings.
// Digests are lowercase hex, the form every report and manifest uses.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace schemakit {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // Finishes the digest; the object cannot be updated afterwards.
  std::string hex_digest();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

std::string sha256_hex(std::string_view bytes);

// Hashes a file's bytes; throws IoError naming the file when it cannot be read.
std::string sha256_file_hex(const std::filesystem::path& file);

}  // namespace schemakit
