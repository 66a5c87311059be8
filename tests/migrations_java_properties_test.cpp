// Java properties as java.util.Properties.load(Reader) reads them (flyway.conf, .sql.conf): no
// server, exact values and messages.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "migrations/java_properties.hpp"
#include "support/error_of.hpp"

using namespace schemakit;
using namespace schemakit::migrations;
using schemakit::testing::error_of;

namespace {

// "key=value@line" per property, to compare a whole file at once.
std::vector<std::string> read(std::string_view text) {
  std::vector<std::string> out;
  for (const JavaProperty& p : parse_java_properties(text, "f.conf")) {
    out.push_back(p.key + "=" + p.value + "@" + std::to_string(p.line));
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(JavaProperties, SeparatorsAndBlanks) {
  EXPECT_EQ(read("a=1\nb: 2\nc 3\n  d  =  4  \ne\nf=\ng:=x\nh = = y\n"),
            (Lines{"a=1@1", "b=2@2", "c=3@3", "d=4  @4", "e=@5", "f=@6", "g==x@7", "h== y@8"}));
  EXPECT_EQ(read("\ta\f=\t1"), (Lines{"a=1@1"}));  // tab and form feed are blanks; no final newline
}

TEST(JavaProperties, CommentsAndBlankLines) {
  EXPECT_EQ(read("# hash\n! bang\n   # indented\n\n   \na=1 # not a comment\n"), (Lines{"a=1 # not a comment@6"}));
}

TEST(JavaProperties, LineEndsAndContinuations) {
  EXPECT_EQ(read("a=1\r\nb=2\rc=3\n"), (Lines{"a=1@1", "b=2@2", "c=3@3"}));
  // An odd number of trailing backslashes continues the line, the next line's blanks dropped; a
  // continuation line starting with # is text, not a comment.
  EXPECT_EQ(read("list=a,\\\n    b,\\\r\n  # c\nnext=\\\\\nlast=x\\"),
            (Lines{"list=a,b,# c@1", "next=\\@4", "last=x@5"}));
  // A comment line does not continue.
  EXPECT_EQ(read("# note \\\na=1\n"), (Lines{"a=1@2"}));
}

TEST(JavaProperties, Escapes) {
  EXPECT_EQ(read("a\\ b\\=c\\:d=x\\ty\\nz\\r\\f\\q\\\\"), (Lines{"a b=c:d=x\ty\nz\r\fq\\@1"}));
  EXPECT_EQ(read("u=\\u00e9\\u20AC\\uD83D\\uDE00"), (Lines{"u=\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80@1"}));
}

TEST(JavaProperties, MalformedEscapesAreRefused) {
  EXPECT_EQ(error_of<InputError>([] { read("a=1\nb=\\u12G4\n"); }),
            "f.conf:2: malformed \\uxxxx escape (Java wants four hex digits)");
  EXPECT_EQ(error_of<InputError>([] { read("b=\\u12"); }),
            "f.conf:1: malformed \\uxxxx escape (Java wants four hex digits)");
  EXPECT_EQ(error_of<InputError>([] { read("b=\\uD83Dx"); }),
            "f.conf:1: \\uD83D is a high surrogate without its low surrogate (\\uDC00 to \\uDFFF) after it");
  EXPECT_EQ(error_of<InputError>([] { read("b=\\uDE00"); }),
            "f.conf:1: \\uDE00 is a low surrogate without its high surrogate");
}

}  // namespace
