// SPDX-License-Identifier: Apache-2.0
#include "lisa/probes/document_probe.hpp"

#include <cctype>

#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "bounded_file.hpp"

#include <sstream>

#include "../../common/yaml_reader.hpp"

namespace lisa {
namespace {

using V = ValueType;

const ProbeSpec& document_spec() {
    static const ProbeSpec spec{
        "document",
        {SubjectKind::Document},
        "evidence files named in the inventory: existence, SHA-256, YAML front matter, age",
        {
            {"document.exists", V::Bool, "the evidence file exists and is readable"},
            {"document.sha256", V::String, "SHA-256 of the file"},
            {"document.size_bytes", V::Integer, "file size"},
            {"document.error", V::String, "why the file could not be read"},
            {"document.has_front_matter", V::Bool, "the file starts with YAML front matter"},
            {"document.beslutad", V::Date, "front matter: date of the decision"},
            {"document.beslutad_av", V::String, "front matter: who decided (e.g. Kommunfullmäktige)"},
            {"document.beslutsniva", V::String, "level of beslutad_av: kommunstyrelsen|socialnamnden|forvaltningsledning|annat (000 B2 T4)"},
            {"document.diarienummer", V::String, "front matter: registration number of the decision"},
            {"document.omfattning", V::List, "front matter: scope the document covers"},
            {"document.giltig_till", V::Date, "front matter: valid until"},
            {"document.age_days", V::Integer, "days from beslutad to the scan date"},
            {"document.front_matter.*", V::String, "any other front matter key (dates and lists keep their type)"},
        }};
    return spec;
}

// A front-matter value: lists keep their items, dates their type (only the strict YYYY-MM-DD
// form; a plain value written like a date that is not one is reported), everything else is text.
Value scalar_value(detail::YamlReader& reader, const YAML::Node& node, const std::string& key) {
    if (node.IsSequence()) {
        StringList list;
        for (const auto& item : node) {
            if (item.IsScalar()) {
                list.push_back(item.Scalar());
            }
        }
        return Value(std::move(list));
    }
    if (!node.IsScalar()) {
        return {};
    }
    if (auto d = Date::parse(node.Scalar())) {
        return Value(*d);
    }
    if (node.Tag() != "!" && Date::looks_like(node.Scalar())) {
        reader.error(node, "front matter '" + key + "' looks like a date but is not one in the "
                           "form YYYY-MM-DD: '" + node.Scalar() + "'");
        return {};
    }
    return Value(node.Scalar());
}

class DocumentProbe final : public Probe {
public:
    [[nodiscard]] const ProbeSpec& spec() const noexcept override { return document_spec(); }

    [[nodiscard]] bool applies_to(const ProbeRequest& request) const override {
        return request.subject.kind == SubjectKind::Document &&
               find_value(request.subject.facts, "document.path") != nullptr;
    }

    [[nodiscard]] std::string target(const ProbeRequest& request) const override {
        // As written in the inventory: reports must not depend on where the tree is checked out.
        return string_fact(request.subject.facts, "document.file",
                           string_fact(request.subject.facts, "document.path"));
    }

    [[nodiscard]] Result<ProbeOutput> collect(const ProbeRequest& request) override {
        const std::string path = string_fact(request.subject.facts, "document.path");
        const std::string shown = string_fact(request.subject.facts, "document.file", path);
        ProbeOutput out;
        // Opened first, judged on the descriptor: a FIFO or device is refused, never waited on.
        io::FileProblem problem = io::FileProblem::None;
        auto content = io::read_regular_file(path, kMaxEvidenceBytes, &problem);
        if (!content) {
            if (problem == io::FileProblem::NotFound) {
                // A missing evidence file is a finding (no evidence), not a probe failure.
                out.facts["document.exists"] = Fact{Value(false), Provenance::Document, shown};
                out.facts["document.error"] = Fact{Value("file not found"), Provenance::Document, shown};
                return out;
            }
            // Something is there but lisa cannot use it: the inventory points at the wrong thing.
            std::string message = content.error().message;
            if (shown != path) {
                const auto at = message.find(path);
                if (at != std::string::npos) {
                    message.replace(at, path.size(), shown);
                }
            }
            out.error = "evidence file " + message;
            if (problem == io::FileProblem::NotRegular) {
                out.error += "; name a saved document";
            }
            return out;
        }
        // Front matter that cannot be read as written (bad UTF-8, YAML, a repeated key, a date
        // not in the form YYYY-MM-DD, too many nodes) is a probe error with its location: the
        // facts it would give are "could not check", never "not stated".
        out.facts = document_facts(content.value(), shown, request.context.as_of, &out.error);
        return out;
    }
};

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
        return {};
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0xF];
    }
    return out;
}

Facts document_facts(std::string_view bytes, const std::string& source, Date as_of,
                     std::string* error) {
    Facts facts;
    auto put = [&](const std::string& name, Value v) {
        facts[name] = Fact{std::move(v), Provenance::Document, source};
    };
    put("document.exists", Value(true));
    put("document.sha256", Value(sha256_hex(bytes)));
    put("document.size_bytes", Value(static_cast<std::int64_t>(bytes.size())));

    // Front matter: the first line is exactly "---", and a later line is "---" (or "...").
    std::string_view text = bytes;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);  // UTF-8 BOM
    }
    const bool starts = text.substr(0, 4) == "---\n" || text.substr(0, 5) == "---\r\n";
    std::size_t end = std::string_view::npos;
    if (starts) {
        for (std::size_t pos = text.find('\n') + 1; pos < text.size();) {
            std::size_t eol = text.find('\n', pos);
            std::string_view line = text.substr(pos, eol == std::string_view::npos ? text.size() - pos : eol - pos);
            if (!line.empty() && line.back() == '\r') {
                line.remove_suffix(1);
            }
            if (line == "---" || line == "...") {
                end = pos;
                break;
            }
            if (eol == std::string_view::npos) {
                break;
            }
            pos = eol + 1;
        }
    }
    put("document.has_front_matter", Value(end != std::string_view::npos));
    if (end == std::string_view::npos) {
        return facts;
    }
    // The YAML between the two "---" lines, read by the same reader as every other input (UTF-8,
    // caps, duplicate keys at every depth); it starts on line 2 of the file.
    const std::string yaml(text.substr(text.find('\n') + 1, end - text.find('\n') - 1));
    Diagnostics diagnostics;
    detail::YamlReader reader(source, diagnostics);
    reader.set_first_line(2);
    const std::optional<YAML::Node> parsed = reader.parse(yaml);
    auto report = [&]() {
        if (error != nullptr && !diagnostics.empty()) {
            std::string text_out = "front matter: ";
            for (std::size_t i = 0; i < diagnostics.items().size() && i < 10; ++i) {
                text_out += (i == 0 ? "" : "; ") + diagnostics.items()[i].to_string();
            }
            if (diagnostics.items().size() > 10) {
                text_out += "; … (" + std::to_string(diagnostics.items().size() - 10) + " more)";
            }
            *error = std::move(text_out);
        }
    };
    if (!parsed) {
        report();
        return facts;
    }
    const YAML::Node& root = *parsed;
    if (!root.IsMap()) {
        reader.error(root, "front matter is not a map of key: value");
        report();
        return facts;
    }
    static const std::vector<std::string> known = {"beslutad", "beslutad_av", "diarienummer",
                                                   "omfattning", "giltig_till"};
    std::vector<std::string> seen;
    for (const auto& kv : root) {
        if (!kv.first.IsScalar()) {
            continue;
        }
        const std::string key = kv.first.Scalar();
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
            continue;  // reported by the reader; no value of a repeated key is taken
        }
        seen.push_back(key);
        Value v = scalar_value(reader, kv.second, key);
        if (v.is_none()) {
            continue;
        }
        const bool is_known = std::find(known.begin(), known.end(), key) != known.end();
        if (!is_known) {
            put("document.front_matter." + key, std::move(v));
            continue;
        }
        if ((key == "beslutad" || key == "giltig_till") && v.as_date() == nullptr) {
            reader.error(kv.second, "front matter '" + key + "' must be a date YYYY-MM-DD, not '" +
                                        v.to_display() + "'");
            continue;
        }
        if (key == "omfattning" && v.as_string() != nullptr) {
            v = Value(StringList{*v.as_string()});
        }
        if ((key == "beslutad_av" || key == "diarienummer") && v.as_string() == nullptr) {
            v = Value(v.to_display());
        }
        put("document." + key, std::move(v));
    }
    if (!diagnostics.empty()) {
        // Front matter with any problem (a repeated key, a malformed date) is not half-used:
        // none of its facts is given, so the rules reading them end in `error` with the reason.
        for (auto it = facts.begin(); it != facts.end();) {
            const bool from_yaml = it->first.rfind("document.front_matter.", 0) == 0 ||
                                   std::find(known.begin(), known.end(),
                                             it->first.substr(it->first.find('.') + 1)) != known.end();
            it = from_yaml ? facts.erase(it) : std::next(it);
        }
        report();
        return facts;
    }
    if (const auto it = facts.find("document.beslutad"); it != facts.end()) {
        put("document.age_days", Value(as_of.days - it->second.value.as_date()->days));
    }
    if (const auto it = facts.find("document.beslutad_av"); it != facts.end() && it->second.value.as_string() != nullptr) {
        put("document.beslutsniva", Value(decision_level(*it->second.value.as_string())));
    }
    return facts;
}

std::string decision_level(std::string_view beslutad_av) {
    std::string text(beslutad_av);
    for (char& c : text) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));  // ASCII; å/ä/ö unchanged
    }
    const auto has = [&text](const char* part) { return text.find(part) != std::string::npos; };
    if (has("kommunstyrelse")) {
        return "kommunstyrelsen";
    }
    if (has("nämnd")) {
        return "socialnamnden";
    }
    if (has("förvaltningsledning") || has("förvaltningens ledningsgrupp") || has("förvaltningschef") ||
        has("socialchef")) {
        return "forvaltningsledning";
    }
    return "annat";
}

std::unique_ptr<Probe> make_document_probe() { return std::make_unique<DocumentProbe>(); }

}  // namespace lisa
