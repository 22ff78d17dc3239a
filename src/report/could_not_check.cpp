// SPDX-License-Identifier: Apache-2.0
#include "lisa/report/could_not_check.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace lisa {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return s;
}

bool has(const std::string& text, std::initializer_list<const char*> words) {
    return std::any_of(words.begin(), words.end(), [&](const char* w) { return text.find(w) != std::string::npos; });
}

/// The directory a related subject's error names: the ldap probe words every access group's
/// error "directory '<id>' …" (ldap_probe.cpp), so the group's findings join its directory's cause.
std::string named_directory(std::string_view message) {
    constexpr std::string_view kMarker = "directory '";
    const auto at = message.find(kMarker);
    if (at == std::string_view::npos) return {};
    const auto start = at + kMarker.size();
    const auto end = message.find('\'', start);
    return end == std::string_view::npos ? std::string() : std::string(message.substr(start, end - start));
}

/// What a group lists: a directory by its id (the inventory's name for it, not the host it
/// happens to live on), anything else by the address or file its probe reached for.
std::string target_of(const ProbeRecord& run) {
    if (run.probe == "ldap") return run.subject;
    return run.target.empty() ? run.subject : run.target;
}

}  // namespace

Cause cause_of(const std::string& probe_error) {
    const std::string e = lower(probe_error);
    // Read whole, but no decision in it (document_probe.cpp): the file is fine, its text says too little.
    // So is a decision dated on a day no calendar has: no decision date can be read from it.
    if (has(e, {"no decision (beslutad", "a date that does not exist"})) return Cause::NoDecision;
    // The document readers' own messages (readers.cpp, isolated_reader.cpp, the size cap): the file
    // is there but cannot be read as evidence. Before File and Timeout, whose words they share.
    if (has(e, {"damaged pdf", "encrypted pdf", "scanned pdf", "zip container", "zip bomb", "neither docx",
                "html page cannot be parsed", "not a format lisa reads", "document reader", "reading the document",
                "the document's text", "the reader failed", "the file is empty"}) ||
        (has(e, {"evidence file"}) && has(e, {"over the limit"}))) {
        return Cause::Document;
    }
    if (has(e, {"cannot resolve", "could not resolve", "name or service not known", "no address associated",
                "temporary failure in name resolution"})) {
        return Cause::Resolve;
    }
    if (has(e, {"timed out", "timeout", "deadline"})) return Cause::Timeout;
    if (has(e, {"tls to the directory failed", "starttls", "names another host", "not trusted"})) return Cause::Tls;
    if (has(e, {"ca_file", "ca file"})) return Cause::CaFile;
    if (has(e, {"environment variable", "password file", "password_env", "password_file", "keytab"})) {
        return Cause::Secret;
    }
    if (has(e, {"refuses paged searches", "pagedresults"})) return Cause::Paging;
    if (has(e, {"bind failed", "bind as", "invalid credentials"})) return Cause::Bind;
    if (has(e, {"cannot connect", "connection refused", "couldn't connect", "could not connect", "no route to host",
                "unreachable", "can't contact"})) {
        return Cause::Connect;
    }
    if (has(e, {"no such file", "not found", "cannot open", "cannot read", "not a regular file", "permission denied"})) {
        return Cause::File;
    }
    return Cause::Other;
}

std::vector<CauseGroup> group_could_not_check(const ReportDocument& report) {
    // The failed probe runs per subject id (the first one's error names the cause).
    std::map<std::string, const ProbeRecord*, std::less<>> failed;
    for (const auto& run : report.probes) {
        if (!run.error.empty()) failed.emplace(run.subject, &run);
    }
    std::map<Cause, std::pair<std::size_t, std::set<std::string>>> groups;
    std::map<Cause, std::pair<std::string, std::string>> examples;  // message, its target
    for (const auto& f : report.findings) {
        if (f.status != Status::Error) continue;
        const ProbeRecord* run = nullptr;
        // The subject, then each ancestor: the id cut at its last '/'.
        std::string_view s = f.subject;
        while (run == nullptr) {
            if (auto it = failed.find(s); it != failed.end()) {
                run = it->second;
                break;
            }
            const auto slash = s.rfind('/');
            if (slash == std::string_view::npos || slash == 0) break;
            s = s.substr(0, slash);
        }
        if (run == nullptr) {
            // An access group lives under its system, not its directory: its error names the
            // directory, whose one failure is one cause (not "other reasons" once per group).
            if (auto it = failed.find(named_directory(f.message)); it != failed.end()) run = it->second;
        }
        const Cause cause = run ? cause_of(run->error) : Cause::Other;
        auto& g = groups[cause];
        ++g.first;
        const std::string target = run ? target_of(*run) : f.subject;
        g.second.insert(target);
        if (examples[cause].first.empty()) {
            examples[cause] = {run ? run->error : f.message, target};
        }
    }
    std::vector<CauseGroup> out;
    for (auto& [cause, g] : groups) {
        out.push_back({cause, g.first, std::vector<std::string>(g.second.begin(), g.second.end()), examples[cause].first,
                       examples[cause].second});
    }
    return out;
}

std::string cause_text(Cause cause, std::size_t n, const std::string& lang) {
    const bool sv = lang == "sv";
    const bool one = n == 1;
    const std::string count = std::to_string(n) + " ";
    switch (cause) {
        case Cause::Resolve:
            return count + (sv ? "namn går inte att slå upp" : (one ? "name does not resolve" : "names do not resolve"));
        case Cause::Connect:
            return count + (sv ? (one ? "adress svarar inte" : "adresser svarar inte")
                               : (one ? "address does not answer" : "addresses do not answer"));
        case Cause::Timeout:
            return count + (sv ? (one ? "adress svarade inte i tid" : "adresser svarade inte i tid")
                               : (one ? "address did not answer in time" : "addresses did not answer in time"));
        case Cause::Tls:
            return count + (sv ? (one ? "krypterad förbindelse kunde inte öppnas" : "krypterade förbindelser kunde inte öppnas")
                               : (one ? "encrypted connection could not be opened" : "encrypted connections could not be opened"));
        case Cause::Paging:
            return count + (sv ? (one ? "katalog tillåter inte sidindelad sökning" : "kataloger tillåter inte sidindelad sökning")
                               : (one ? "directory refuses paged searches" : "directories refuse paged searches"));
        case Cause::CaFile:
            return count + (sv ? (one ? "CA-fil går inte att använda" : "CA-filer går inte att använda")
                               : (one ? "CA file cannot be used" : "CA files cannot be used"));
        case Cause::Secret:
            return count + (sv ? (one ? "lösenord saknas" : "lösenord saknas")
                               : (one ? "password is not set" : "passwords are not set"));
        case Cause::Bind:
            return count + (sv ? (one ? "katalog godtar inte inloggningen" : "kataloger godtar inte inloggningen")
                               : (one ? "directory refuses the bind" : "directories refuse the bind"));
        case Cause::File:
            return count + (sv ? (one ? "fil saknas eller går inte att läsa" : "filer saknas eller går inte att läsa")
                               : (one ? "file is missing or unreadable" : "files are missing or unreadable"));
        case Cause::Document:
            return count + (sv ? (one ? "dokument går inte att läsa som bevis" : "dokument går inte att läsa som bevis")
                               : (one ? "document cannot be read as evidence" : "documents cannot be read as evidence"));
        case Cause::NoDecision:
            return count + (sv ? (one ? "dokument där inget beslut hittades i texten" : "dokument där inget beslut hittades i texten")
                               : (one ? "document in whose text no decision was found"
                                      : "documents in whose text no decision was found"));
        case Cause::Other:
            break;
    }
    return count + (sv ? (one ? "annan orsak" : "andra orsaker") : (one ? "other reason" : "other reasons"));
}

std::string cause_advice(Cause cause, const std::string& lang) {
    const bool sv = lang == "sv";
    switch (cause) {
        case Cause::Resolve:
            return sv ? "kontrollera stavningen i inventariet och att datorn når kommunens DNS"
                      : "check the spelling in the inventory and that this machine reaches the municipality's DNS";
        case Cause::Connect:
            return sv ? "kontrollera port och brandvägg, eller kör lisa från ett nät som når adressen"
                      : "check the port and the firewall, or run lisa from a network that reaches the address";
        case Cause::Timeout:
            return sv ? "höj --timeout eller kontrollera nätet" : "raise --timeout or check the network";
        case Cause::Tls:
            return sv ? "kontrollera att servercertifikatet är utfärdat för namnet i url och att ca_file har dess rot-CA, "
                        "och att servern kan StartTLS"
                      : "check that the server certificate is issued for the name in the url and that ca_file holds its "
                        "root CA, and that the server offers StartTLS";
        case Cause::Paging:
            return sv ? "tillåt sidindelad sökning (pagedResults) för lisas konto – Active Directory: LDAP-policyns "
                        "MaxPageSize (ntdsutil, minst 1000); OpenLDAP: limits utan size.prtotal=disabled"
                      : "allow paged searches (pagedResults) for lisa's account – Active Directory: the LDAP policy's "
                        "MaxPageSize (ntdsutil, at least 1000); OpenLDAP: limits without size.prtotal=disabled";
        case Cause::CaFile:
            return sv ? "ange en läsbar PEM-fil med rotcertifikatet i ca_file"
                      : "give a readable PEM file holding the root certificate in ca_file";
        case Cause::Secret:
            return sv ? "sätt miljövariabeln i password_env eller skapa filen i password_file"
                      : "set the variable named by password_env or create the password_file";
        case Cause::Bind:
            return sv ? "kontrollera bind_dn och lösenordet" : "check bind_dn and its password";
        case Cause::File:
            return sv ? "kontrollera sökvägarna i inventariet" : "check the paths in the inventory";
        case Cause::Document:
            return sv ? "spara om dokumentet som PDF med textlager (inte inskannat, utan lösenord, högst 32 MiB), DOCX "
                        "eller ODT, eller ange beslutet i en sidofil (.lisa.yaml) knuten till filens SHA-256"
                      : "save the document again as a PDF with a text layer (not scanned, no password, at most 32 MiB), "
                        "DOCX or ODT, or state its decision in a sidecar (.lisa.yaml) pinned to the file's SHA-256";
        case Cause::NoDecision:
            return sv ? "skriv beslutet i dokumentet (till exempel \"Fastställd av kommunfullmäktige 2024-03-12, § 45\" "
                        "och diarienumret), eller ange det i en sidofil (.lisa.yaml) knuten till filens SHA-256"
                      : "state the decision in the document (e.g. \"Fastställd av kommunfullmäktige 2024-03-12, § 45\" "
                        "and its diarienummer), or in a sidecar (.lisa.yaml) pinned to the file's SHA-256";
        case Cause::Other:
            break;
    }
    return sv ? "se meddelandet per kontroll i rapporten" : "see each check's message in the report";
}

std::string cause_in_brief(const std::string& probe_error, const std::string& lang) {
    const Cause cause = cause_of(probe_error);
    if (lang != "sv" || cause == Cause::Other) {
        return probe_error;
    }
    const std::string phrase = cause_text(cause, 1, lang);  // "1 adress svarar inte"
    return phrase.substr(phrase.find(' ') + 1);
}

std::string cause_for_check(const std::string& probe_error, const std::string& lang) {
    const Cause cause = cause_of(probe_error);
    if (lang != "sv" || cause == Cause::Other) {
        return probe_error;
    }
    return cause_in_brief(probe_error, lang) + " – " + cause_advice(cause, lang);
}

std::string cause_example(const CauseGroup& group, const std::string& lang) {
    if (lang != "sv") return group.example;
    // The example's own target: the Swedish line says what the quoted message says, of the same file or host.
    const std::string t = !group.example_target.empty() ? group.example_target
                          : group.targets.empty()        ? std::string("?")
                                                         : group.targets.front();
    switch (group.cause) {
        case Cause::Resolve: return "namnet för " + t + " går inte att slå upp i DNS";
        case Cause::Connect: return t + " tar inte emot anslutningar (ingen server svarar på porten)";
        case Cause::Timeout: return t + " svarade inte inom tidsgränsen (--timeout)";
        case Cause::Tls:
            if (group.example.find("names another host") != std::string::npos) {
                return t + ": servercertifikatet är utfärdat för ett annat namn";
            }
            if (group.example.find("not trusted") != std::string::npos) {
                return t + ": servercertifikatet är inte utfärdat av en CA som ca_file eller systemet litar på";
            }
            return t + ": krypteringen (TLS/StartTLS) kunde inte upprättas";
        case Cause::CaFile: return "CA-filen för " + t + " saknas, går inte att läsa eller saknar certifikat";
        case Cause::Secret: return "lösenordet för " + t + " saknas: miljövariabeln är inte satt eller filen saknas";
        case Cause::Bind: return t + " godtar inte inloggningen (fel konto eller lösenord, eller kontot är låst)";
        case Cause::Paging: return t + " nekar sidindelad sökning (pagedResults), som lisa behöver för att läsa alla konton";
        case Cause::File: return t + " saknas eller går inte att läsa";
        case Cause::Document: {
            const std::string e = lower(group.example);
            if (e.find("scanned pdf") != std::string::npos) return t + " är en inskannad PDF utan textlager";
            if (e.find("encrypted pdf") != std::string::npos) return t + " är lösenordsskyddad";
            if (e.find("over the limit") != std::string::npos) return t + " är större än 32 MiB";
            return t + " är skadad eller i ett format lisa inte läser";
        }
        case Cause::NoDecision:
            return t + " lästes, men inget beslut hittades i texten (beslutad, beslutad av eller diarienummer)";
        case Cause::Other: break;
    }
    return t + ": se meddelandet per kontroll i JSON- eller HTML-rapporten";
}

}  // namespace lisa
