// SPDX-License-Identifier: Apache-2.0
// The inventory's value lists have one published form, schema/inventory.schema.json (and
// docs/inventory.md made from it); the lists the loader checks against must be the same lists.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "lisa/inventory/inventory.hpp"
#include "process.hpp"

namespace {

nlohmann::json schema() {
    return nlohmann::json::parse(lisa::testing_support::read_file(std::string(LISA_SOURCE_DIR) + "/schema/inventory.schema.json"));
}

std::vector<std::string> strings(const nlohmann::json& j) { return j.get<std::vector<std::string>>(); }

TEST(VocabularyTest, TheLoadersListsAreTheSchemasLists) {
    const auto s = schema();
    EXPECT_EQ(strings(s["definitions"]["verksamhetsomrade"]["enum"]), lisa::verksamhetsomraden());
    EXPECT_EQ(strings(s["definitions"]["document_role"]["enum"]), lisa::document_roles());
    EXPECT_EQ(strings(s["definitions"]["isms_role"]["enum"]), lisa::isms_roles());
    EXPECT_EQ(strings(s["definitions"]["guideline_topic"]["enum"]), lisa::guideline_topics());
    EXPECT_EQ(strings(s["properties"]["organization"]["properties"]["drift"]["propertyNames"]["enum"]), lisa::drift_areas());
}

}  // namespace
