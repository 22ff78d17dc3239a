// SPDX-License-Identifier: Apache-2.0
#include "lisa/probes/document_probe.hpp"

#include "lisa/probes/document_text.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "bounded_file.hpp"
#include "../pki/bounded_get.hpp"
#include "../pki/peer_certificate.hpp"

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
            {"document.beslutad", V::Date, "date of the latest decision by a body that can adopt the document (text, metadata or front matter)"},
            {"document.beslutad_av", V::String, "who took that decision, normalised: kommunfullmäktige, kommunstyrelsen, nämnd:<namn>, förvaltningsledning, kommundirektör"},
            {"document.beslutsniva", V::String, "level of beslutad_av: kommunstyrelsen|socialnamnden|forvaltningsledning|annat (000 B2 T4)"},
            {"document.diarienummer", V::String, "registration number (Dnr/Diarienummer, e.g. KS 2024/123)"},
            {"document.omfattning", V::List, "scope: the inventory's scope ids (socialtjanst, hsl) where a named unit matches, other units as written"},
            {"document.giltig_till", V::Date, "valid until (the last date of a stated period)"},
            {"document.age_days", V::Integer, "days from beslutad to the scan date"},
            {"document.format", V::String, "pdf, docx, odt, html or text"},
            {"document.pages", V::Integer, "PDF: number of pages"},
            {"document.antagen", V::Date, "text: date of the first adoption"},
            {"document.antagen_av", V::String, "text: body of the first adoption (normalised like beslutad_av)"},
            {"document.reviderad", V::Date, "text: date of the latest revision"},
            {"document.giltig_tills_vidare", V::Bool, "text: valid until further notice (\"t.v.\")"},
            {"document.dokumentagare", V::String, "text: document owner (Dokumentägare)"},
            {"document.dokumenttyp", V::String, "text: document type (label, or the title's word: policy, riktlinje …)"},
            {"document.url", V::String, "URL: the address the bytes were finally fetched from"},
            {"document.redirects", V::List, "URL: every redirect followed (at most 5, HTTPS only), as 'STATUS FROM -> TO'"},
            {"document.conflicts", V::List, "text and metadata or front matter that disagree, each with both quotes"},
            {"document.front_matter.*", V::String, "any other front matter key (dates and lists keep their type)"},
            {"document.discovered", V::List, "discover: every document found, as 'ROLES: TITLE <URL or file>' (ROLES 'övrigt' when the title names none)"},
            {"document.discovered_count", V::Integer, "discover: documents found (at most 200)"},
            {"document.roles_found", V::List, "discover: required roles some document's title names"},
            {"document.roles_missing", V::List, "discover: required roles no document's title names"},
            {"document.missing_role_count", V::Integer, "discover: number of required roles not found (the source names them)"},
        },
        std::nullopt};
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

std::string front_matter_body(std::string_view text) {
    // The text after the closing "---" of front matter (document_facts found it).
    const std::size_t first = text.find('\n');
    for (std::size_t pos = first == std::string_view::npos ? text.size() : first + 1; pos < text.size();) {
        const std::size_t eol = text.find('\n', pos);
        std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line == "---" || line == "...") return std::string(eol == std::string_view::npos ? "" : text.substr(eol + 1));
        if (eol == std::string_view::npos) break;
        pos = eol + 1;
    }
    return {};
}

// Two statements of fact `name` agree when their values are equal, or, for a decision body
// (`…_av`), when both name the same body ("Kommunfullmäktige" in front matter, "kommunfullmäktige"
// from text). Only bodies: "KS 2024/1" and "KS 2023/55" are two diarienummer, not one "KS".
bool agree(std::string_view name, const Value& a, const Value& b) {
    if (a == b) return true;
    const bool body = name.size() > 3 && name.substr(name.size() - 3) == "_av";
    if (!body) return false;
    const auto* sa = a.as_string();
    const auto* sb = b.as_string();
    if (sa == nullptr || sb == nullptr) return false;
    const std::string na = normalise_body(*sa);
    return !na.empty() && na == normalise_body(*sb);
}

// What the text reading says about itself rather than the document: disagreements inside the
// text (or inside the metadata), whether it was read to its end, dates no calendar has. Taken
// out of `text` and `meta`: they are no facts of their own.
struct ReadNotes {
    StringList conflicts;
    bool truncated = false;
    StringList impossible;
};

ReadNotes take_read_notes(std::map<std::string, TextFact>& text, std::map<std::string, TextFact>& meta) {
    ReadNotes notes;
    for (auto* read : {&text, &meta}) {
        if (const auto it = read->find("conflicts"); it != read->end()) {
            if (const StringList* within = it->second.value.as_list()) {
                for (const auto& c : *within) notes.conflicts.push_back(c);
            }
            read->erase(it);
        }
        if (const auto it = read->find("truncated"); it != read->end()) {
            notes.truncated = true;
            read->erase(it);
        }
        if (const auto it = read->find("impossible_dates"); it != read->end()) {
            if (const StringList* lines = it->second.value.as_list()) {
                notes.impossible.insert(notes.impossible.end(), lines->begin(), lines->end());
            }
            read->erase(it);
        }
    }
    return notes;
}

// Text and metadata facts into `out`: front matter wins, then text over metadata; every
// disagreement goes to `conflicts` and into the winning fact's source.
void merge_text_facts(const std::map<std::string, TextFact>& text, const std::map<std::string, TextFact>& meta,
                      const std::string& shown, StringList& conflicts, ProbeOutput* out) {
    std::set<std::string> names;
    for (const auto& [k, v] : text) names.insert(k);
    for (const auto& [k, v] : meta) names.insert(k);
    for (const auto& name : names) {
        const std::string fact = "document." + name;
        const auto t = text.find(name);
        const auto m = meta.find(name);
        std::vector<std::pair<std::string, const TextFact*>> said;  // who said what
        if (t != text.end()) said.emplace_back(t->second.evidence, &t->second);
        if (m != meta.end()) said.emplace_back(m->second.evidence, &m->second);
        auto existing = out->facts.find(fact);
        if (existing != out->facts.end()) {
            // Front matter stated it: keep it, and say where the text disagrees.
            for (const auto& [ev, tf] : said) {
                if (!agree(name, tf->value, existing->second.value)) {
                    conflicts.push_back(name + ": front matter says " + existing->second.value.to_display() + ", " +
                                        ev + " says " + tf->value.to_display());
                    existing->second.source += " (disagrees: " + ev + " says " + tf->value.to_display() + ")";
                }
            }
            continue;
        }
        const TextFact& chosen = *said.front().second;
        std::string source = shown + " " + said.front().first;
        if (said.size() == 2 && !agree(name, said[0].second->value, said[1].second->value)) {
            conflicts.push_back(name + ": " + said[0].first + " says " + said[0].second->value.to_display() + ", " +
                                said[1].first + " says " + said[1].second->value.to_display());
            source += " (disagrees: " + said[1].first + " says " + said[1].second->value.to_display() + ")";
        }
        out->facts[fact] = Fact{chosen.value, Provenance::Document, source};
    }
}

// The document as read (DocumentText) for its format, or nullopt with `out`'s error set when it
// is empty or cannot be read.
std::optional<DocumentText> read_for_facts(const std::string& bytes, const std::string& path, const std::string& shown,
                                           const std::string& kind, bool front_matter, ProbeOutput* out) {
    if (bytes.empty()) {  // a .docx, .pdf or .md of 0 bytes alike
        out->error = shown + ": the file is empty (0 bytes)";
        out->facts["document.error"] = Fact{Value(std::string("the file is empty (0 bytes)")), Provenance::Document, shown};
        return std::nullopt;
    }
    DocumentText doc = kind == "text" ? read_plain_text(front_matter ? front_matter_body(bytes) : bytes)
                                      : read_document_isolated(bytes, path);
    if (!doc.format.empty() || !kind.empty()) {
        out->facts["document.format"] = Fact{Value(doc.format.empty() ? kind : doc.format), Provenance::Document, shown};
    }
    if (doc.pages > 0) {
        out->facts["document.pages"] = Fact{Value(static_cast<std::int64_t>(doc.pages)), Provenance::Document, shown};
    }
    if (!doc.error.empty()) {
        // Could not read it: the rules that need its facts are errors with this reason.
        out->error = shown + ": " + doc.error;
        out->facts["document.error"] = Fact{Value(doc.error), Provenance::Document, shown};
        return std::nullopt;
    }
    return doc;
}

// Facts from the document's own words (document_text.hpp), each with its quoted span in
// `source`. Text wins over metadata, front matter over text, but a disagreement is never
// resolved silently: it is named in the winning fact's source and in document.conflicts.
void add_text_facts(const std::string& bytes, const std::string& path, const std::string& shown, Date as_of,
                    ProbeOutput* out) {
    const std::string kind = sniff_format(bytes, path);
    const bool front_matter = out->facts.count("document.has_front_matter") != 0 &&
                              out->facts["document.has_front_matter"].value == Value(true);
    const auto doc = read_for_facts(bytes, path, shown, kind, front_matter, out);
    if (!doc) {
        return;
    }
    auto text = text_facts(doc->blocks);
    auto meta = text_facts(doc->metadata);
    ReadNotes notes = take_read_notes(text, meta);
    StringList& conflicts = notes.conflicts;
    const bool truncated = notes.truncated;
    const StringList& impossible = notes.impossible;
    // A date no calendar has is named: the document's error when no decision date was read
    // (it is not "not stated"), else a conflict beside the date that was.
    if (!impossible.empty() && text.count("beslutad") == 0 && meta.count("beslutad") == 0 &&
        out->facts.count("document.beslutad") == 0) {
        out->error = shown + ": a date that does not exist in " + impossible.front() +
                     ": correct it in the document, or state the decision in a sidecar (.lisa.yaml)";
    }
    for (const auto& line : impossible) conflicts.push_back("date that does not exist: " + line);
    merge_text_facts(text, meta, shown, conflicts, out);
    if (!conflicts.empty()) {
        out->facts["document.conflicts"] = Fact{Value(conflicts), Provenance::Document, shown};
    }
    if (const auto it = out->facts.find("document.beslutad"); it != out->facts.end() && it->second.value.as_date()) {
        out->facts["document.age_days"] =
            Fact{Value(as_of.days - it->second.value.as_date()->days), Provenance::Document, it->second.source};
    }
    // A document in which no decision fact was found — an office document, a page, or a text file
    // without front matter (front matter is itself a statement) — is not evidence of anything: an
    // error with the reason, never a silent "not stated". So is a text read only in part.
    if (out->error.empty() && (kind != "text" || !front_matter) && text.count("beslutad") == 0 && text.count("beslutad_av") == 0 &&
        text.count("diarienummer") == 0 && meta.count("beslutad") == 0 && meta.count("diarienummer") == 0) {
        out->error = shown + ": no decision (beslutad, beslutad av, diarienummer) found in the document's text" +
                     (truncated ? " (only its first " + std::to_string(kMaxFactLines) + " lines were read)" : "");
    }
}

// A published document: HTTPS only, the server verified (system store or the document's
// ca_file), at most 5 redirects each recorded and each again HTTPS, at most kMaxEvidenceBytes,
// every transfer bounded by the scan's timeout. No cookies, no credentials.
struct Fetched {
    std::string body;
    std::string final_url;
    StringList hops;
    std::string error;
};

constexpr int kMaxRedirects = 5;

std::size_t collect_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* body = static_cast<std::string*>(user);
    if (body->size() + size * n > kMaxEvidenceBytes) return 0;  // aborts the transfer
    body->append(data, size * n);
    return size * n;
}

/// Why libcurl refused the server's certificate, naming the certificate (issue 15):
/// ": <libcurl's words> (the server's certificate: CN = …, SAN …)".
std::string refused_certificate(CURL* c, const char* detail) {
    std::string out = detail[0] != '\0' ? std::string(": ") + detail : std::string();
    const std::string which = pki::peer_certificate(c);
    return which.empty() ? out : out + " (" + which + ")";
}

Fetched fetch_https(const std::string& url, const std::string& ca_file, std::chrono::milliseconds timeout) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    Fetched f;
    std::string current = url;
    for (int hop = 0;; ++hop) {
        // The curl URL API decides what the address is; only https is fetched.
        CURLU* u = curl_url();
        char* scheme = nullptr;
        const bool valid = curl_url_set(u, CURLUPART_URL, current.c_str(), 0) == CURLUE_OK &&
                           curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK;
        const std::string sch = scheme ? scheme : "";
        curl_free(scheme);
        curl_url_cleanup(u);
        if (!valid) {
            f.error = "'" + current + "' is not a valid URL";
            return f;
        }
        if (sch != "https") {
            f.error = hop == 0 ? "only https:// URLs are fetched" : "redirect to " + current + " refused: only HTTPS is followed";
            return f;
        }
        CURL* c = curl_easy_init();
        if (!c) {
            f.error = "cannot start libcurl";
            return f;
        }
        std::string body;
        char detail[CURL_ERROR_SIZE] = {};  // libcurl's own words: which check failed
        pki::set_bounded_get(c, current, "https", static_cast<long>(timeout.count()), "lisa-document-probe", detail,
                             {collect_body, &body});
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
        pki::gather_peer_certificate(c);  // a refused certificate is named in the error (issue 15)
        if (!ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca_file.c_str());
        curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxEvidenceBytes));
        const CURLcode rc = curl_easy_perform(c);
        long status = 0;
        char* location = nullptr;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location);
        const std::string next = location ? location : "";
        const std::string which = rc == CURLE_PEER_FAILED_VERIFICATION ? refused_certificate(c, detail) : std::string();
        curl_easy_cleanup(c);
        if (rc == CURLE_WRITE_ERROR || rc == CURLE_FILESIZE_EXCEEDED) {
            f.error = current + " is larger than " + std::to_string(kMaxEvidenceBytes) + " bytes";
            return f;
        }
        if (rc != CURLE_OK) {
            f.error = "cannot fetch " + current + ": " + curl_easy_strerror(rc) + which;
            return f;
        }
        if (status >= 300 && status < 400 && !next.empty()) {
            if (hop == kMaxRedirects) {
                f.error = url + " redirects more than " + std::to_string(kMaxRedirects) + " times";
                return f;
            }
            f.hops.push_back(std::to_string(status) + " " + current + " -> " + next);
            current = next;
            continue;
        }
        if (status != 200) {
            f.error = current + " answered HTTP " + std::to_string(status);
            return f;
        }
        f.body = std::move(body);
        f.final_url = current;
        return f;
    }
}

// Sidecar `FILE.lisa.yaml`: a person states facts about this exact file (a scanned PDF, a
// document that does not name its decision), pinned by `sha256:`. Its facts are `attested`:
// shown as such, weaker than what the document says itself, never enough for `require: document`.
constexpr std::size_t kMaxSidecarBytes = 64 * 1024;

// The sidecar's map once it is readable YAML pinned to this exact file; nullopt with the problems
// otherwise, and nullopt without any when there is no sidecar. The same bounded reader and YAML
// reader as every input: opened without blocking and judged on the descriptor; UTF-8, repeated keys,
// dates and caps checked with their locations.
std::optional<YAML::Node> sidecar_root(const std::string& side, const std::string& side_shown, const std::string& shown,
                                       const std::string& sha256, Diagnostics& diagnostics,
                                       detail::YamlReader& reader, std::vector<std::string>& problems) {
    io::FileProblem problem = io::FileProblem::None;
    auto side_text = io::read_regular_file(side, kMaxSidecarBytes, &problem);
    if (!side_text) {
        if (problem != io::FileProblem::NotFound) {
            problems.push_back(side_shown + ": " + side_text.error().message);
        }
        return std::nullopt;
    }
    const std::optional<YAML::Node> parsed = reader.parse(side_text.value());
    if (!diagnostics.empty() || !parsed) {
        for (const auto& d : diagnostics.items()) {
            problems.push_back(d.to_string());
        }
        return std::nullopt;
    }
    if (!parsed->IsMap()) {
        problems.push_back(side_shown + ":1:1: a sidecar is a map of key: value");
        return std::nullopt;
    }
    const YAML::Node pin = (*parsed)["sha256"];
    if (!pin || !pin.IsScalar()) {
        problems.push_back(side_shown + ":1:1: 'sha256' of the document is required (sha256sum " + shown + ")");
        return std::nullopt;
    }
    std::string pinned = pin.Scalar();
    std::transform(pinned.begin(), pinned.end(), pinned.begin(), [](unsigned char c) { return std::tolower(c); });
    if (pinned != sha256) {
        problems.push_back(side_shown + ":" + std::to_string(pin.Mark().line + 1) + ":" +
                           std::to_string(pin.Mark().column + 1) + ": pinned to sha256 " + pinned.substr(0, 16) +
                           "…, but " + shown + " is " + sha256.substr(0, 16) +
                           "…: the sidecar speaks of another version of the file; check it and update sha256");
        return std::nullopt;
    }
    return parsed;
}

// One stated key's value, or none with a problem at `at`.
std::optional<Value> sidecar_value(detail::YamlReader& reader, const std::string& key, const YAML::Node& node,
                                   const std::string& at, std::vector<std::string>& problems) {
    static const std::set<std::string> dates = {"beslutad", "antagen", "reviderad", "giltig_till"};
    static const std::set<std::string> strings = {"beslutad_av", "antagen_av", "diarienummer", "dokumentagare",
                                                  "dokumenttyp"};
    if (dates.count(key) != 0) {
        const auto d = node.IsScalar() ? Date::parse(node.Scalar()) : std::nullopt;
        if (!d) {
            problems.push_back(at + ": '" + key + "' must be a date YYYY-MM-DD");
            return std::nullopt;
        }
        return Value(*d);
    }
    if (strings.count(key) != 0 && node.IsScalar()) {
        std::string text = node.Scalar();
        if (key == "beslutad_av" || key == "antagen_av") {
            if (std::string body = normalise_body(text); !body.empty()) text = body;
        }
        return Value(text);
    }
    if (key == "omfattning") {
        Value v = scalar_value(reader, node, key);
        if (v.as_string() != nullptr) v = Value(StringList{*v.as_string()});
        return v;
    }
    problems.push_back(at + ": unknown key '" + key +
                       "' (beslutad, beslutad_av, antagen, antagen_av, reviderad, diarienummer, giltig_till, "
                       "omfattning, dokumentagare, dokumenttyp, attesterad_av, sha256)");
    return std::nullopt;
}

// Stated facts fill what the document's text does not say; the document's own words are stronger,
// and a disagreement is named in document.conflicts, never hidden.
void merge_stated(std::map<std::string, Fact>& stated, const std::string& shown, ProbeOutput* out) {
    StringList conflicts;
    if (const auto it = out->facts.find("document.conflicts"); it != out->facts.end() && it->second.value.as_list()) {
        conflicts = *it->second.value.as_list();
    }
    for (auto& [name, fact] : stated) {
        const auto it = out->facts.find(name);
        if (it == out->facts.end()) {
            out->facts[name] = std::move(fact);
        } else if (!agree(name, it->second.value, fact.value)) {
            conflicts.push_back(name.substr(9) + ": " + it->second.source + " says " + it->second.value.to_display() +
                                ", " + fact.source + " says " + fact.value.to_display());
        }
    }
    if (!conflicts.empty()) {
        out->facts["document.conflicts"] = Fact{Value(conflicts), Provenance::Document, shown};
    }
}

void add_sidecar_facts(const std::string& path, const std::string& shown, const std::string& sha256,
                       ProbeOutput* out) {
    const std::string side_shown = shown + ".lisa.yaml";
    std::vector<std::string> problems;
    Diagnostics diagnostics;
    detail::YamlReader reader(side_shown, diagnostics);
    const auto root = sidecar_root(path + ".lisa.yaml", side_shown, shown, sha256, diagnostics, reader, problems);
    if (root) {
        std::string by;
        if (const YAML::Node b = (*root)["attesterad_av"]; b && b.IsScalar()) {
            by = " by " + b.Scalar();
        }
        std::map<std::string, Fact> stated;
        for (const auto& kv : *root) {
            const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
            if (key == "sha256" || key == "attesterad_av") continue;
            const std::string at = side_shown + ":" + std::to_string(kv.first.Mark().line + 1) + ":" +
                                   std::to_string(kv.first.Mark().column + 1);
            if (auto v = sidecar_value(reader, key, kv.second, at, problems)) {
                stated["document." + key] = Fact{*v, Provenance::Attested,
                                                 at + " (attested" + by + " for sha256 " + sha256.substr(0, 16) + "…)"};
            }
        }
        // A person's statement about this exact file stands in for text lisa could not read
        // (scanned, no decision found): the facts are attested, not "could not check"; why the
        // text gave nothing stays in document.error.
        if (problems.empty() && !stated.empty()) out->error.clear();
        merge_stated(stated, shown, out);
    }
    for (const auto& p : problems) {
        out->error += (out->error.empty() ? "" : "; ") + p;
    }
}

// ---------------------------------------------------------------- discover:
// A folder or one HTTPS listing page of styrdokument (issue 13 item 7): the documents found,
// each classified by its title (classify_title), and which required roles were found.
constexpr std::size_t kMaxDiscovered = 200;
constexpr std::size_t kMaxFolderEntries = 10000;

struct Found {
    std::string title;
    std::string where;  // URL or file name
};

bool document_extension(std::string_view name, bool folder) {
    const auto dot = name.rfind('.');
    if (dot == std::string_view::npos) return false;
    std::string ext(name.substr(dot + 1));
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const std::set<std::string> documents = {"pdf", "docx", "doc", "odt", "rtf"};
    static const std::set<std::string> local = {"md", "txt", "html", "htm"};
    return documents.count(ext) != 0 || (folder && local.count(ext) != 0);
}

// A file name as a title: without its extension, percent-escapes decoded by libcurl.
std::string title_from_name(std::string_view name) {
    std::string base(name.substr(0, name.rfind('.')));
    if (base.find('%') != std::string::npos) {
        int len = 0;
        if (char* dec = curl_easy_unescape(nullptr, base.c_str(), static_cast<int>(base.size()), &len)) {
            base.assign(dec, static_cast<std::size_t>(len));
            curl_free(dec);
        }
    }
    return base;
}

std::string url_part(const std::string& url, CURLUPart part) {
    CURLU* u = curl_url();
    char* out = nullptr;
    std::string result;
    // Ports compared with the scheme's default filled in; host names in any case are one host.
    const unsigned flags = part == CURLUPART_PORT ? CURLU_DEFAULT_PORT : 0U;
    if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK && curl_url_get(u, part, &out, flags) == CURLUE_OK && out) {
        result = out;
    }
    if (part == CURLUPART_HOST || part == CURLUPART_SCHEME) {
        for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    curl_free(out);
    curl_url_cleanup(u);
    return result;
}

void add_discovery_facts(const std::vector<Found>& found, const StringList& required, const std::string& shown,
                         ProbeOutput* out) {
    StringList listed;
    std::set<std::string> have;
    for (const auto& f : found) {
        const StringList roles = classify_title(f.title);
        std::string names;
        for (const auto& r : roles) {
            names += (names.empty() ? "" : ", ") + r;
            have.insert(r);
        }
        listed.push_back((names.empty() ? std::string("övrigt") : names) + ": " + f.title + " <" + f.where + ">");
    }
    StringList present;
    StringList missing;
    for (const auto& r : required) (have.count(r) != 0 ? present : missing).push_back(r);
    std::string missing_text;
    for (const auto& r : missing) missing_text += (missing_text.empty() ? "" : ", ") + r;
    const auto put = [&](const char* name, Value v, std::string source) {
        out->facts[name] = Fact{std::move(v), Provenance::Document, std::move(source)};
    };
    put("document.discovered", Value(listed), shown);
    put("document.discovered_count", Value(static_cast<std::int64_t>(found.size())),
        shown + ": " + std::to_string(found.size()) + " documents");
    put("document.roles_found", Value(present), shown);
    put("document.roles_missing", Value(missing), shown);
    put("document.missing_role_count", Value(static_cast<std::int64_t>(missing.size())),
        shown + (missing.empty() ? ": every required role found" : ": not found: " + missing_text));
}

void discover_url(const std::string& url, const std::string& ca_file, std::chrono::milliseconds timeout,
                  const StringList& required, ProbeOutput* out) {
    const Fetched f = fetch_https(url, ca_file, timeout);
    if (!f.error.empty()) {
        out->error = f.error;  // could not check: the rule is an error with the reason
        return;
    }
    out->facts["document.url"] = Fact{Value(f.final_url), Provenance::Document, url};
    out->facts["document.redirects"] = Fact{Value(f.hops), Provenance::Document, url};
    // The page is parsed by libxml2's HTML parser in the limited child process, like any page.
    const std::string kind = sniff_format(f.body, "listing.html");
    if (kind != "html" && kind != "text") {
        out->error = url + ": the listing page is not an HTML page";
        return;
    }
    const DocumentText page = read_document_isolated(f.body, "listing.html");
    if (!page.error.empty()) {
        out->error = url + ": " + page.error;
        return;
    }
    if (page.links_truncated) {
        out->error = url + ": the listing page has more than " + std::to_string(kMaxPageLinks) +
                     " links; name a narrower listing page";
        return;
    }
    const std::string host = url_part(f.final_url, CURLUPART_HOST);
    const std::string port = url_part(f.final_url, CURLUPART_PORT);
    std::vector<Found> found;
    std::set<std::string> seen;
    std::size_t elsewhere = 0;
    for (const auto& link : page.links) {
        // Relative links are resolved against the page by libcurl's URL API.
        CURLU* u = curl_url();
        char* resolved = nullptr;
        char* upath = nullptr;
        std::string abs, path;
        if (curl_url_set(u, CURLUPART_URL, f.final_url.c_str(), 0) == CURLUE_OK &&
            curl_url_set(u, CURLUPART_URL, link.href.c_str(), 0) == CURLUE_OK &&
            curl_url_set(u, CURLUPART_FRAGMENT, nullptr, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_URL, &resolved, 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_PATH, &upath, 0) == CURLUE_OK) {
            abs = resolved;
            path = upath;
        }
        curl_free(resolved);
        curl_free(upath);
        curl_url_cleanup(u);
        if (abs.empty() || !document_extension(path, false) || !seen.insert(abs).second) continue;
        if (url_part(abs, CURLUPART_SCHEME) != "https" || url_part(abs, CURLUPART_HOST) != host ||
            url_part(abs, CURLUPART_PORT) != port) {
            ++elsewhere;  // another host's documents are not this municipality's listing
            continue;
        }
        if (found.size() == kMaxDiscovered) {
            out->error = url + " lists more than " + std::to_string(kMaxDiscovered) +
                         " documents; name a narrower listing page";
            return;
        }
        // The link's words, else (empty, or words that name no kind of document: "Ladda ner") the
        // file's own name ("Ledningens%20genomg%C3%A5ng%202025.pdf").
        const std::string file_title = title_from_name(path.substr(path.rfind('/') + 1));
        std::string title = link.text;
        if (title.empty() || (classify_title(title).empty() && !classify_title(file_title).empty())) {
            title = title.empty() ? file_title : title + " (" + file_title + ")";
        }
        found.push_back({title, abs});
    }
    add_discovery_facts(found, required, url + (elsewhere == 0 ? "" : " (" + std::to_string(elsewhere) +
                                                                   " documents on other hosts not counted)"),
                        out);
}

void discover_folder(const std::string& dir, const std::string& shown, const StringList& required, ProbeOutput* out) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        out->error = "discover: " + shown + " is not a folder lisa can read" + (ec ? ": " + ec.message() : "");
        return;
    }
    std::vector<std::string> names;
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    std::size_t entries = 0;
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        if (++entries > kMaxFolderEntries) {
            out->error = "discover: " + shown + " has more than " + std::to_string(kMaxFolderEntries) + " entries";
            return;
        }
        std::error_code sec;
        const std::string name = it->path().filename().string();
        // Regular files only (a symlink to one counts); sidecars and hidden files are not documents.
        if (!it->is_regular_file(sec) || name.empty() || name[0] == '.' || !document_extension(name, true)) continue;
        names.push_back(name);
    }
    if (ec) {
        out->error = "discover: cannot read " + shown + ": " + ec.message();
        return;
    }
    if (names.size() > kMaxDiscovered) {
        out->error = "discover: " + shown + " holds more than " + std::to_string(kMaxDiscovered) +
                     " documents; name a narrower folder";
        return;
    }
    std::sort(names.begin(), names.end());
    std::vector<Found> found;
    for (const auto& name : names) found.push_back({title_from_name(name), name});
    add_discovery_facts(found, required, shown, out);
}

class DocumentProbe final : public Probe {
public:
    [[nodiscard]] const ProbeSpec& spec() const noexcept override { return document_spec(); }

    [[nodiscard]] bool applies_to(const ProbeRequest& request) const override {
        const auto* document = request.target<DocumentTarget>();
        return document != nullptr && (!document->path.empty() || !document->url.empty() || document->discover);
    }

    [[nodiscard]] std::string target(const ProbeRequest& request) const override {
        // As written in the inventory: reports must not depend on where the tree is checked out.
        const auto* document = request.target<DocumentTarget>();
        return document == nullptr ? std::string() : !document->file.empty() ? document->file : document->path;
    }

    [[nodiscard]] Result<ProbeOutput> collect(const ProbeRequest& request) override {
        const auto* document = request.target<DocumentTarget>();
        if (document == nullptr) {
            return Error{"not a document"};
        }
        if (document->discover) {
            return collect_discovery(*document, request.context);
        }
        if (!document->url.empty()) {
            return collect_published(*document, request.context);
        }
        return collect_file(*document, request.context);
    }

private:
    // A `discover:` entry: a folder or one https:// listing page.
    static ProbeOutput collect_discovery(const DocumentTarget& document, const ProbeContext& context) {
        ProbeOutput out;
        if (!document.discover_url.empty()) {
            discover_url(document.discover_url, document.ca_file, context.timeout, document.required_roles, &out);
        } else {
            discover_folder(document.discover_path, document.file, document.required_roles, &out);
        }
        return out;
    }

    // A published document, fetched over verified HTTPS.
    static ProbeOutput collect_published(const DocumentTarget& document, const ProbeContext& context) {
        ProbeOutput out;
        const std::string& url = document.url;
        const Fetched f = fetch_https(url, document.ca_file, context.timeout);
        if (!f.error.empty()) {
            out.error = f.error;  // could not check: the rules that need it are errors
            return out;
        }
        out.facts = document_facts(f.body, url, context.as_of, &out.error);
        if (!out.error.empty()) {
            return out;  // front matter that cannot be read as written: could not check
        }
        out.facts["document.url"] = Fact{Value(f.final_url), Provenance::Document, url};
        out.facts["document.redirects"] = Fact{Value(f.hops), Provenance::Document, url};
        add_text_facts(f.body, url_path(f.final_url), url, context.as_of, &out);
        return out;
    }

    // The last path of a URL (libcurl's URL API): the reader picks the format from the bytes,
    // and from the URL's last path segment.
    static std::string url_path(const std::string& url) {
        CURLU* u = curl_url();
        char* upath = nullptr;
        std::string name;
        if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
            curl_url_get(u, CURLUPART_PATH, &upath, 0) == CURLUE_OK && upath) {
            name = upath;
        }
        curl_free(upath);
        curl_url_cleanup(u);
        return name;
    }

    // A local evidence file.
    static ProbeOutput collect_file(const DocumentTarget& document, const ProbeContext& context) {
        const std::string& path = document.path;
        const std::string& shown = !document.file.empty() ? document.file : path;
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
        out.facts = document_facts(content.value(), shown, context.as_of, &out.error);
        if (!out.error.empty()) {
            return out;
        }
        const std::string& bytes = content.value();
        add_text_facts(bytes, path, shown, context.as_of, &out);
        add_sidecar_facts(path, shown, sha256_hex(bytes), &out);
        if (out.facts.count("document.age_days") == 0) {
            if (const auto it = out.facts.find("document.beslutad"); it != out.facts.end() && it->second.value.as_date()) {
                out.facts["document.age_days"] = Fact{Value(context.as_of.days - it->second.value.as_date()->days),
                                                      it->second.provenance, it->second.source};
            }
        }
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

namespace {

const std::vector<std::string>& front_matter_keys() {
    static const std::vector<std::string> known = {"beslutad", "beslutad_av", "diarienummer", "omfattning",
                                                   "giltig_till"};
    return known;
}

// Front matter: the first line is exactly "---", and a later line is "---" (or "..."). Where that
// closing line starts in `text`; npos without front matter.
std::size_t front_matter_end(std::string_view text) {
    const bool starts = text.substr(0, 4) == "---\n" || text.substr(0, 5) == "---\r\n";
    if (!starts) {
        return std::string_view::npos;
    }
    for (std::size_t pos = text.find('\n') + 1; pos < text.size();) {
        const std::size_t eol = text.find('\n', pos);
        std::string_view line = text.substr(pos, eol == std::string_view::npos ? text.size() - pos : eol - pos);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line == "---" || line == "...") {
            return pos;
        }
        if (eol == std::string_view::npos) {
            break;
        }
        pos = eol + 1;
    }
    return std::string_view::npos;
}

// "front matter: " and the first ten problems.
std::string front_matter_problems(const Diagnostics& diagnostics) {
    std::string text_out = "front matter: ";
    for (std::size_t i = 0; i < diagnostics.items().size() && i < 10; ++i) {
        text_out += (i == 0 ? "" : "; ") + diagnostics.items()[i].to_string();
    }
    if (diagnostics.items().size() > 10) {
        text_out += "; … (" + std::to_string(diagnostics.items().size() - 10) + " more)";
    }
    return text_out;
}

// The front matter's keys as facts: the known ones checked and shaped, the others kept as
// document.front_matter.KEY. A repeated key is reported by the reader and none of its values taken.
void read_front_matter(detail::YamlReader& reader, const YAML::Node& root, const std::string& source, Facts& facts) {
    const auto& known = front_matter_keys();
    std::vector<std::string> seen;
    for (const auto& kv : root) {
        if (!kv.first.IsScalar()) {
            continue;
        }
        const std::string key = kv.first.Scalar();
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
            continue;
        }
        seen.push_back(key);
        Value v = scalar_value(reader, kv.second, key);
        if (v.is_none()) {
            continue;
        }
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            facts["document.front_matter." + key] = Fact{std::move(v), Provenance::Document, source};
            continue;
        }
        if ((key == "beslutad" || key == "giltig_till") && v.as_date() == nullptr) {
            reader.error(kv.second, "front matter '" + key + "' must be a date YYYY-MM-DD, not '" + v.to_display() + "'");
            continue;
        }
        if (key == "omfattning" && v.as_string() != nullptr) {
            v = Value(StringList{*v.as_string()});
        }
        if ((key == "beslutad_av" || key == "diarienummer") && v.as_string() == nullptr) {
            v = Value(v.to_display());
        }
        facts["document." + key] = Fact{std::move(v), Provenance::Document, source};
    }
}

// Front matter with any problem (a repeated key, a malformed date) is not half-used: none of its
// facts is given, so the rules reading them end in `error` with the reason.
void drop_front_matter_facts(Facts& facts) {
    const auto& known = front_matter_keys();
    for (auto it = facts.begin(); it != facts.end();) {
        const bool from_yaml =
            it->first.rfind("document.front_matter.", 0) == 0 ||
            std::find(known.begin(), known.end(), it->first.substr(it->first.find('.') + 1)) != known.end();
        it = from_yaml ? facts.erase(it) : std::next(it);
    }
}

}  // namespace

Facts document_facts(std::string_view bytes, const std::string& source, Date as_of,
                     std::string* error) {
    Facts facts;
    auto put = [&](const std::string& name, Value v) {
        facts[name] = Fact{std::move(v), Provenance::Document, source};
    };
    put("document.exists", Value(true));
    put("document.sha256", Value(sha256_hex(bytes)));
    put("document.size_bytes", Value(static_cast<std::int64_t>(bytes.size())));
    std::string_view text = bytes;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);  // UTF-8 BOM
    }
    const std::size_t end = front_matter_end(text);
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
    if (parsed && !parsed->IsMap()) {
        reader.error(*parsed, "front matter is not a map of key: value");
    } else if (parsed) {
        read_front_matter(reader, *parsed, source, facts);
    }
    if (!diagnostics.empty()) {
        drop_front_matter_facts(facts);
        if (error != nullptr) {
            *error = front_matter_problems(diagnostics);
        }
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
