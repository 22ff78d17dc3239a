// SPDX-License-Identifier: Apache-2.0
// The malformed-input corpus in tests/data/invalid: every `rules-*.yaml` and `inventory-*.yaml`
// must be refused with (among others) the diagnostic its `.expected` file names, as
// "LINE:COL: substring". A second test mutates every file and checks that the loaders never
// crash or throw, whatever they make of the bytes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "lisa/inventory/inventory.hpp"
#include "lisa/rules/loader.hpp"
#include "support/test_support.hpp"

namespace lisa {
namespace {

namespace fs = std::filesystem;
using testing_support::diagnostics_as_text;
using testing_support::has_diagnostic;
using testing_support::read_file_bytes;

const std::string kCorpusDir = std::string(LISA_TEST_DATA_DIR) + "/invalid";

std::vector<std::string> corpus_files() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(kCorpusDir, ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
            out.push_back(name);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool is_rule_pack(const std::string& name) { return name.rfind("rules-", 0) == 0; }
bool is_inventory(const std::string& name) { return name.rfind("inventory-", 0) == 0; }

struct Expectation {
    int line = 0;
    int column = 0;
    std::string substring;
};

std::optional<Expectation> read_expectation(const std::string& yaml_name) {
    const std::string path =
        kCorpusDir + "/" + yaml_name.substr(0, yaml_name.size() - 5) + ".expected";
    std::string text = read_file_bytes(path);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    const auto c1 = text.find(':');
    const auto c2 = c1 == std::string::npos ? std::string::npos : text.find(':', c1 + 1);
    if (c2 == std::string::npos || c2 + 2 > text.size() || text[c2 + 1] != ' ') {
        return std::nullopt;
    }
    Expectation e;
    try {
        e.line = std::stoi(text.substr(0, c1));
        e.column = std::stoi(text.substr(c1 + 1, c2 - c1 - 1));
    } catch (const std::exception&) {
        return std::nullopt;
    }
    e.substring = text.substr(c2 + 2);
    return e;
}

// Loads `content` with the loader its file name asks for; returns every diagnostic.
Diagnostics load_any(const std::string& name, const std::string& content, FactCatalog& catalog) {
    if (is_rule_pack(name)) {
        return load_rules({SourceText{name, content}}, catalog).diagnostics;
    }
    Diagnostics diags;
    (void)load_inventory(SourceText{name, content}, "/base", diags);
    return diags;
}

std::string test_name(const std::string& file) {
    std::string out;
    for (const char c : file.substr(0, file.size() - 5)) {
        out += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
    }
    return out;
}

TEST(CorpusTest, HasEnoughFilesOfBothKindsEachWithItsExpectation) {
    const auto files = corpus_files();
    ASSERT_GE(files.size(), 25U) << "corpus directory: " << kCorpusDir;
    const auto rules = std::count_if(files.begin(), files.end(), is_rule_pack);
    const auto inventories = std::count_if(files.begin(), files.end(), is_inventory);
    EXPECT_GE(rules, 12);
    EXPECT_GE(inventories, 12);
    EXPECT_EQ(static_cast<std::size_t>(rules + inventories), files.size())
        << "every corpus file is named rules-*.yaml or inventory-*.yaml";
    for (const auto& f : files) {
        EXPECT_TRUE(read_expectation(f).has_value()) << f << ": missing or malformed .expected";
    }
}

class CorpusFileTest : public ::testing::TestWithParam<std::string> {
protected:
    testing_support::BuiltinCatalog builtin_;
};

TEST_P(CorpusFileTest, IsRefusedWithTheExpectedDiagnostic) {
    const std::string& name = GetParam();
    const auto expected = read_expectation(name);
    ASSERT_TRUE(expected.has_value()) << name;
    const std::string content = read_file_bytes(kCorpusDir + "/" + name);
    const Diagnostics diags = load_any(name, content, builtin_.catalog);
    ASSERT_FALSE(diags.empty()) << name << " was accepted";
    for (const auto& d : diags.items()) {
        EXPECT_EQ(d.location.file, name);
        EXPECT_GE(d.location.line, 1);
        EXPECT_GE(d.location.column, 1);
    }
    EXPECT_TRUE(has_diagnostic(diags, expected->line, expected->column, expected->substring))
        << name;
}

INSTANTIATE_TEST_SUITE_P(Invalid, CorpusFileTest, ::testing::ValuesIn(corpus_files()),
                         [](const ::testing::TestParamInfo<std::string>& p) {
                             return test_name(p.param);
                         });

// Generated rather than committed: one byte over the limit, for both loaders.
TEST(CorpusTest, HugeFilesAreRefusedBeforeParsing) {
    testing_support::BuiltinCatalog builtin;
    const std::string huge = "# " + std::string(kMaxInputFileBytes - 3, 'x') + "\n" + "[";
    ASSERT_EQ(huge.size(), kMaxInputFileBytes + 1);
    for (const char* name : {"rules-huge.yaml", "inventory-huge.yaml"}) {
        const Diagnostics diags = load_any(name, huge, builtin.catalog);
        ASSERT_EQ(diags.items().size(), 1U) << diagnostics_as_text(diags);
        EXPECT_TRUE(has_diagnostic(diags, 1, 1, "bytes, over the limit of 4194304")) << name;
    }
}

// Random byte mutations of every corpus file: the loaders may accept or refuse, but never crash,
// hang or let an exception escape. Fixed seed so a failure reproduces.
std::string mutate(std::string text, std::mt19937& rng) {
    static const std::vector<std::string> tokens = {
        "[", "]", "{", "}", ":", ": ", "- ", "\n", "\t", "&a ", "*a", "&b ", "*b", "!!str ",
        "!!binary ", "? ", "|", ">", "'", "\"", "#", "---\n", "...\n", "\\", "%YAML 1.2\n",
        std::string(1, '\0'), "\xEF\xBB\xBF", "\xC3", "\xFF", "<<: *a\n", "!<tag> "};
    std::uniform_int_distribution<int> op_count(1, 4);
    const int ops = op_count(rng);
    for (int i = 0; i < ops; ++i) {
        const std::size_t pos = text.empty() ? 0 : std::uniform_int_distribution<std::size_t>(0, text.size())(rng);
        switch (std::uniform_int_distribution<int>(0, 5)(rng)) {
            case 0:  // overwrite one byte
                if (pos < text.size()) {
                    text[pos] = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
                }
                break;
            case 1:  // insert one random byte
                text.insert(pos, 1, static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng)));
                break;
            case 2:  // delete a run
                if (pos < text.size()) {
                    text.erase(pos, std::uniform_int_distribution<std::size_t>(1, 16)(rng));
                }
                break;
            case 3:  // insert a YAML-significant token
                text.insert(pos, tokens[std::uniform_int_distribution<std::size_t>(0, tokens.size() - 1)(rng)]);
                break;
            case 4:  // duplicate a chunk
                if (pos < text.size()) {
                    const std::size_t len = std::uniform_int_distribution<std::size_t>(1, 64)(rng);
                    const std::string chunk = text.substr(pos, len);
                    text.insert(std::min(text.size(), pos + chunk.size()), chunk);
                }
                break;
            default:  // truncate
                text.resize(pos);
                break;
        }
    }
    return text;
}

TEST(CorpusTest, MutatedInputsNeverCrashOrThrow) {
    testing_support::BuiltinCatalog builtin;
    std::mt19937 rng(20240630U);
    constexpr int kMutationsPerFile = 200;
    std::size_t accepted = 0;
    std::size_t refused = 0;
    for (const auto& name : corpus_files()) {
        const std::string original = read_file_bytes(kCorpusDir + "/" + name);
        for (int m = 0; m < kMutationsPerFile; ++m) {
            const std::string input = mutate(original, rng);
            try {
                const Diagnostics diags = load_any(name, input, builtin.catalog);
                (diags.empty() ? accepted : refused) += 1;
                for (const auto& d : diags.items()) {
                    ASSERT_GE(d.location.line, 1) << name << " mutation " << m << ": " << d.to_string();
                    ASSERT_GE(d.location.column, 1) << name << " mutation " << m << ": " << d.to_string();
                }
            } catch (const std::exception& e) {
                ADD_FAILURE() << name << " mutation " << m << " threw: " << e.what();
            } catch (...) {
                ADD_FAILURE() << name << " mutation " << m << " threw a non-std exception";
            }
        }
    }
    EXPECT_GT(refused, 0U);
    RecordProperty("accepted", static_cast<int>(accepted));
    RecordProperty("refused", static_cast<int>(refused));
}

}  // namespace
}  // namespace lisa
