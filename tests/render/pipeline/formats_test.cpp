// SPDX-License-Identifier: Apache-2.0
// The writer table: one row per format, names and file names unique, and every writer renders
// the example's typed report (a new format that cannot is caught here, not in a user's CI).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "pipeline_test_util.hpp"

namespace lisa {
namespace {

TEST(ReportFormats, EveryRowIsUniqueAndFindable) {
    std::set<std::string> names;
    std::set<std::string> files;
    for (const auto& f : report_formats()) {
        EXPECT_TRUE(names.insert(std::string(f.name)).second) << f.name;
        EXPECT_TRUE(files.insert(std::string(f.file_name)).second) << f.file_name;
        EXPECT_FALSE(f.help.empty()) << f.name;
        EXPECT_NE(f.render, nullptr) << f.name;
        EXPECT_EQ(find_report_format(f.name), &f);
        EXPECT_NE(report_format_names().find(std::string(f.name)), std::string::npos);
    }
    EXPECT_EQ(find_report_format("pdf"), nullptr);
    EXPECT_EQ(names, (std::set<std::string>{"text", "json", "html", "junit", "sarif", "csv", "actionplan-csv", "actionplan-xlsx",
                                             "central"}));
    std::set<std::string> signable;
    for (const auto& f : report_formats()) {
        if (f.signable) {
            signable.insert(std::string(f.name));
        }
    }
    EXPECT_EQ(signable, (std::set<std::string>{"json", "central"}));
}

TEST(ReportFormats, EveryWriterRendersTheExampleInBothLanguages) {
    const auto doc = pipeline_test::document_of(pipeline_test::example_report());
    ASSERT_TRUE(doc);
    for (const auto& f : report_formats()) {
        for (const char* lang : {"sv", "en"}) {
            RenderOptions options;
            options.lang = lang;
            std::ostringstream out;
            ASSERT_NO_THROW(f.render(*doc, options, out)) << f.name;
            EXPECT_GT(out.str().size(), 100U) << f.name << " " << lang;
        }
    }
    std::ostringstream json;
    find_report_format("json")->render(*doc, {}, json);
    EXPECT_EQ(json.str(), testing_support::read_file(
                              pipeline_test::source_path("tests/data/expected/exempelkommun.json")));
}

}  // namespace
}  // namespace lisa
