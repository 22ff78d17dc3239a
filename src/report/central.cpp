// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/central.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace lisa {
namespace {

using Json = nlohmann::json;

Json optional_number(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

Json counts_json(const StatusCounts& counts) {
    Json j = Json::object();
    for (auto s : {Status::Pass, Status::Fail, Status::Error, Status::NotApplicable, Status::Waived}) {
        j[std::string(to_string(s))] = counts[static_cast<std::size_t>(s)];
    }
    return j;
}

Json area_json(const AreaScore& a, const char* score, const char* without) {
    return {{score, optional_number(a.score)},
            {without, optional_number(a.score_without_waivers)},
            {"coverage", a.coverage},
            {"rules_judged", a.rules_judged},
            {"findings_by_status", counts_json(a.by_status)}};
}

bool is_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(s[i]))) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string central_profile(const ReportDocument& doc) {
    // Built by selection from the typed report: only these fields exist to be copied.
    Json out = Json::object();
    out["profile"] = "lisa-central";
    out["profile_version"] = 1;
    out["tool"] = {{"name", doc.run.tool_name}, {"version", doc.run.tool_version}};
    out["run"] = {{"as_of", doc.run.as_of},
                  {"started", doc.run.started},
                  {"finished", doc.run.finished},
                  {"rule_pack_sha256", doc.run.rule_pack_sha256},
                  {"inventory_sha256", doc.run.inventory_sha256},
                  {"systems", doc.run.systems},
                  {"complete", doc.run.complete}};
    out["organization"] = {{"name", doc.organization.name},
                           {"municipality_code", doc.organization.municipality_code},
                           {"population", doc.organization.population},
                           {"size_group", doc.organization.size_group},
                           {"size_group_2021", doc.organization.size_group_2021}};
    Json score = area_json(doc.score.overall, "overall", "overall_without_waivers");
    score["areas"] = Json::array();
    for (const auto& a : doc.score.areas) {
        Json area = area_json(a.result, "score", "score_without_waivers");
        area["id"] = a.result.id;
        score["areas"].push_back(std::move(area));
    }
    out["score"] = std::move(score);
    out["indicators"] = Json::array();
    for (const auto& i : doc.indicators) {
        Json p{{"id", i.id},
               {"scope", i.scope.empty() ? Json(nullptr) : Json(i.scope)},
               {"answer", i.answer ? Json(*i.answer) : Json(nullptr)},
               {"evidenced", i.evidenced},
               {"complete", i.complete}};
        p["by_provenance"] = Json::object();
        for (const auto& [k, v] : i.by_provenance) {
            if (k == "declared" || k == "document" || k == "probed") {
                p["by_provenance"][k] = v;
            }
        }
        out["indicators"].push_back(std::move(p));
    }
    out["results"] = Json::array();
    for (const auto& f : doc.findings) {
        Json r{{"rule", f.rule},
               {"subject", f.subject},
               {"subject_kind", f.subject_kind ? std::string(to_string(*f.subject_kind)) : std::string()},
               {"status", std::string(to_string(f.status))},
               {"severity", std::string(to_string(f.severity))},
               {"area", f.area}};
        if (!f.indicator.empty()) {
            r["indicator"] = f.indicator;
        }
        out["results"].push_back(std::move(r));
    }
    return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Result<CentralProfileInfo> read_central_profile(const std::string& text) {
    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const Json::exception& e) {
        return Error{std::string("not JSON: ") + e.what()};
    }
    if (!doc.is_object()) {
        return Error{"not a lisa central profile (not a JSON object)"};
    }
    if (!doc.contains("profile")) {
        if (doc.contains("findings") && doc.contains("schema_version")) {
            return Error{"this is a full lisa report, which holds names, DNs and evidence; only the central "
                         "profile may leave the municipality: lisa scan --inventory FILE --format central "
                         "--output PROFILE.json --sign KEY.pem, then push PROFILE.json"};
        }
        return Error{"not a lisa central profile (no \"profile\" key)"};
    }
    if (doc["profile"] != "lisa-central" || !doc.contains("profile_version") || doc["profile_version"] != 1) {
        return Error{"not a lisa central profile of version 1"};
    }
    CentralProfileInfo info;
    try {
        const auto& org = doc.at("organization");
        const auto& run = doc.at("run");
        info.municipality_code = org.at("municipality_code").get<std::string>();
        info.organization = org.at("name").get<std::string>();
        info.as_of = run.at("as_of").get<std::string>();
        info.finished = run.at("finished").get<std::string>();
        info.complete = run.at("complete").get<bool>();
        info.full_scope = run.at("systems").empty();
        info.tool_version = doc.at("tool").value("version", "");
    } catch (const Json::exception& e) {
        return Error{std::string("central profile lacks a field: ") + e.what()};
    }
    if (info.municipality_code.size() != 4 ||
        !std::all_of(info.municipality_code.begin(), info.municipality_code.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        return Error{"central profile: organization.municipality_code must be four digits, not '" +
                     info.municipality_code + "'"};
    }
    if (!is_date(info.as_of)) {
        return Error{"central profile: run.as_of must be YYYY-MM-DD"};
    }
    return info;
}

}  // namespace lisa
