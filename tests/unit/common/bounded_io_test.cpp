// SPDX-License-Identifier: Apache-2.0
// The shared bounded readers (issue 11, kind D) at their edges: io::read_regular_file (regular
// files only, size cap exact, judged on the opened descriptor) and parse_bounded_json (depth and
// size caps, the location of a too-deep document).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "bounded_file.hpp"  // src/common, via lisa::files
#include "bounded_json.hpp"

namespace lisa {
namespace {

using ::testing::HasSubstr;

class BoundedFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/lisa-bounded-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    std::string write(const std::string& name, const std::string& content) {
        const std::string path = dir_ + "/" + name;
        std::ofstream(path, std::ios::binary) << content;
        return path;
    }
    std::string dir_;
};

TEST_F(BoundedFileTest, ReadsARegularFileUpToExactlyTheCap) {
    const std::string path = write("ten", "0123456789");
    auto at_cap = io::read_regular_file(path, 10);
    ASSERT_TRUE(at_cap) << at_cap.error().message;
    EXPECT_EQ(at_cap.value(), "0123456789");
    io::FileProblem problem = io::FileProblem::None;
    auto over = io::read_regular_file(path, 9, &problem);
    ASSERT_FALSE(over);
    EXPECT_EQ(problem, io::FileProblem::TooLarge);
    EXPECT_EQ(over.error().message, path + " is 10 bytes, over the limit of 9");
    auto empty = io::read_regular_file(write("empty", ""), 0);
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty.value(), "");
}

TEST_F(BoundedFileTest, RefusesEverythingButARegularFileWithItsKind) {
    const std::string fifo = dir_ + "/fifo";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const struct {
        std::string path;
        io::FileProblem problem;
        std::string message;
    } cases[] = {
        {fifo, io::FileProblem::NotRegular, fifo + " is not a regular file but a FIFO (named pipe)"},
        {"/dev/zero", io::FileProblem::NotRegular, "/dev/zero is not a regular file but a character device"},
        {dir_, io::FileProblem::NotRegular, dir_ + " is not a regular file but a directory"},
        {dir_ + "/missing", io::FileProblem::NotFound, dir_ + "/missing: no such file"},
        {dir_ + "/missing/below", io::FileProblem::NotFound, dir_ + "/missing/below: no such file"},
    };
    for (const auto& c : cases) {
        io::FileProblem problem = io::FileProblem::None;
        auto r = io::read_regular_file(c.path, 1 << 20, &problem);
        ASSERT_FALSE(r) << c.path;
        EXPECT_EQ(problem, c.problem) << c.path;
        EXPECT_EQ(r.error().message, c.message);
    }
}

TEST_F(BoundedFileTest, FollowsASymlinkToARegularFileButNotToAFifo) {
    const std::string target = write("real", "secret-free");
    ASSERT_EQ(::symlink(target.c_str(), (dir_ + "/link").c_str()), 0);
    auto r = io::read_regular_file(dir_ + "/link", 100);
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value(), "secret-free");
    ASSERT_EQ(::mkfifo((dir_ + "/fifo").c_str(), 0600), 0);
    ASSERT_EQ(::symlink((dir_ + "/fifo").c_str(), (dir_ + "/fifo-link").c_str()), 0);
    EXPECT_FALSE(io::read_regular_file(dir_ + "/fifo-link", 100));
}

TEST(BoundedJsonTest, AcceptsTheDepthCapAndRefusesOneLevelMore) {
    std::string error;
    const std::string at_cap = std::string(detail::kMaxJsonDepth, '[') + std::string(detail::kMaxJsonDepth, ']');
    EXPECT_TRUE(detail::parse_bounded_json(at_cap, 1 << 20, error)) << error;
    const std::string over = "[" + at_cap + "]";
    EXPECT_FALSE(detail::parse_bounded_json(over, 1 << 20, error));
    EXPECT_EQ(error, "1:65: JSON nested deeper than 64 levels, lisa's cap");
    // Brackets inside strings do not count; the location follows lines.
    std::string lines = "{\"a\": \"[[[[\",\n \"b\": ";
    for (int i = 0; i < 70; ++i) {
        lines += "{\"c\":";
    }
    EXPECT_FALSE(detail::parse_bounded_json(lines, 1 << 20, error));
    EXPECT_EQ(error, "2:" + std::to_string(6 + 5 * 63 + 1) + ": JSON nested deeper than 64 levels, lisa's cap");
}

TEST(BoundedJsonTest, RefusesOverTheSizeCapBeforeParsing) {
    std::string error;
    EXPECT_FALSE(detail::parse_bounded_json("[1, 2, 3]", 8, error));
    EXPECT_EQ(error, "9 bytes, over the limit of 8");
    EXPECT_TRUE(detail::parse_bounded_json("[1, 2, 3]", 9, error));
    EXPECT_FALSE(detail::parse_bounded_json("[1, 2,", 100, error));
    EXPECT_THAT(error, HasSubstr("parse error"));
}

}  // namespace
}  // namespace lisa
