// SPDX-License-Identifier: Apache-2.0
// lisa probe KIND TARGET: one probe's facts as JSON.
#include "cli.hpp"
#include "lisa/probes/register_builtin.hpp"

#include <string_view>

namespace lisa::cli {
namespace {

po::options_description probe_options() {
    po::options_description desc("probe options");
    desc.add_options()("help,h", "show this help")("kind", po::value<std::string>(), "probe kind")(
        "target", po::value<std::string>(), "what to probe")(
        "sni", po::value<std::string>(), "tls: server name")(
        "ca-file", po::value<std::string>(), "tls/http/ldap/document URL: CA file; its self-signed certificates are the trust anchors")(
        "trust-intermediates", po::bool_switch(), "tls: the intermediates in --ca-file are trust anchors too")(
        "starttls", po::bool_switch(), "tls/ldap: upgrade with STARTTLS")(
        "http-url", po::value<std::string>(), "http: plain-http twin to check the redirect")(
        "idp", po::value<std::string>(), "http: OIDC issuer to read discovery from")(
        "base", po::value<std::string>(), "ldap: search base DN")(
        "bind-dn", po::value<std::string>(), "ldap: bind DN")(
        "password-env", po::value<std::string>(), "ldap: environment variable with the bind password")(
        "password-file", po::value<std::string>(), "ldap: file with the bind password")(
        "flavour", po::value<std::string>()->default_value("active_directory"), "ldap: active_directory|openldap")(
        "group", po::value<std::vector<std::string>>(), "ldap: access group DN (repeatable)")(
        "mfa-group", po::value<std::vector<std::string>>(), "ldap: MFA group DN (repeatable)")(
        "shared-marker", po::value<std::string>(), "ldap: ATTR=VALUE marking shared accounts")(
        "strong-auth-attribute", po::value<std::string>(), "ldap: ATTR=VALUE marking strong authentication")(
        "stale-days", po::value<std::string>()->default_value("90"), "ldap: days without logon that make an account stale (1 to 3650)")(
        "as-of", po::value<std::string>(), "date for expiry and age facts (default today)")(
        "timeout", po::value<std::string>()->default_value("5"), "seconds per network operation (0.1 to 600)")(
        "tls-depth", po::value<std::string>()->default_value("standard"), "tls: standard|full (full adds SSLv2/3, every suite, order, groups, OCSP, renegotiation, compression, fallback)");
    return desc;
}

/// A one-subject inventory written from the options, so the probe sees what a scan gives it;
/// `subject_kind` is set to the kind of that subject.
std::string probe_inventory_yaml(const po::variables_map& vm, const std::string& kind, const std::string& target,
                                 std::int64_t stale_days, SubjectKind& subject_kind) {
    std::string yaml = "organization: { name: probe, population: 0 }\n";
    auto q = [](const std::string& s) {
        std::string out = "\"";
        for (const char c : s) {
            if (c == '"' || c == '\\') {
                out += '\\';
            }
            out += c;
        }
        return out + "\"";
    };
    const auto opt = [&](const char* name) {
        return vm.count(name) ? vm[name].as<std::string>() : std::string();
    };
    subject_kind = SubjectKind::Endpoint;
    if (kind == "tls" || kind == "http") {
        std::string url = target;
        if (url.find("://") == std::string::npos) {
            url = (kind == "tls" ? "tls://" : "https://") + url;
        }
        yaml += "systems:\n  - id: probe\n    name: probe\n    verksamhetsomraden: [\"Barn och unga\"]\n"
                "    roles: [utförare]\n    personal_data: false\n    sensitive_personal_data: false\n"
                "    endpoints:\n      - id: target\n        exposure: external\n        url: " + q(url) + "\n";
        if (vm.count("sni")) yaml += "        sni: " + q(opt("sni")) + "\n";
        if (vm.count("ca-file")) yaml += "        ca_file: " + q(std::filesystem::absolute(opt("ca-file")).string()) + "\n";
        if (vm["trust-intermediates"].as<bool>()) yaml += "        trust_intermediates: true\n";
        if (vm["starttls"].as<bool>()) yaml += "        starttls: true\n";
        if (vm.count("http-url")) yaml += "        http_url: " + q(opt("http-url")) + "\n";
        if (vm.count("idp")) yaml += "        idp: " + q(opt("idp")) + "\n";
    } else if (kind == "ldap") {
        subject_kind = SubjectKind::Directory;
        yaml += "directories:\n  - id: target\n    url: " + q(target) + "\n    base_dn: " + q(opt("base")) +
                "\n    flavour: " + q(opt("flavour")) + "\n    stale_days: " +
                std::to_string(stale_days) + "\n";
        if (vm.count("bind-dn")) yaml += "    bind_dn: " + q(opt("bind-dn")) + "\n";
        if (vm.count("password-env")) yaml += "    password_env: " + q(opt("password-env")) + "\n";
        if (vm.count("password-file")) yaml += "    password_file: " + q(std::filesystem::absolute(opt("password-file")).string()) + "\n";
        if (vm.count("ca-file")) yaml += "    ca_file: " + q(std::filesystem::absolute(opt("ca-file")).string()) + "\n";
        if (vm["starttls"].as<bool>()) yaml += "    starttls: true\n";
        if (vm.count("shared-marker")) yaml += "    shared_marker: " + q(opt("shared-marker")) + "\n";
        yaml += "    strong_auth:\n      mfa_groups: [";
        if (vm.count("mfa-group")) {
            const auto groups = vm["mfa-group"].as<std::vector<std::string>>();
            for (std::size_t i = 0; i < groups.size(); ++i) yaml += (i ? ", " : "") + q(groups[i]);
        }
        yaml += "]\n";
        if (vm.count("strong-auth-attribute")) yaml += "      attribute: " + q(opt("strong-auth-attribute")) + "\n";
        if (vm.count("group")) {
            yaml += "    privileged_groups:\n";
            const auto groups = vm["group"].as<std::vector<std::string>>();
            for (std::size_t i = 0; i < groups.size(); ++i) {
                yaml += "      - { id: g" + std::to_string(i + 1) + ", dn: " + q(groups[i]) + ", privileged: false }\n";
            }
        }
    } else if (kind == "document") {
        subject_kind = SubjectKind::Document;
        if (target.rfind("https://", 0) == 0) {
            // A published document: fetched over verified HTTPS (--ca-file for a private CA).
            yaml += "isms:\n  documents:\n    - { id: target, role: riktlinje, url: " + q(target);
            if (vm.count("ca-file")) yaml += ", ca_file: " + q(std::filesystem::absolute(opt("ca-file")).string());
            yaml += " }\n";
        } else {
            yaml += "isms:\n  documents:\n    - { id: target, role: riktlinje, path: " +
                    q(std::filesystem::absolute(target).string()) + " }\n";
        }
    }
    return yaml;
}

/// The reason a probe gives in a fact of its own (`tls.error`, `document.error`, `ldap.tls.error`
/// …: a name whose last segment is `error`) for what it could not collect; empty when it gives none.
/// A missing file or a refused connection is such a reason, so `lisa probe` exits 3 for it as it
/// does for the probe's own error.
std::string why_not_collected(const Facts& facts) {
    static constexpr std::string_view kSegment = ".error";
    for (const auto& named_fact : facts) {
        const std::string& name = named_fact.first;
        const std::string* value = named_fact.second.value.as_string();
        const bool is_reason = name.size() > kSegment.size() &&
                               name.compare(name.size() - kSegment.size(), kSegment.size(), kSegment) == 0;
        if (is_reason && value != nullptr && !value->empty()) {
            return *value;
        }
    }
    return {};
}

/// Collects and prints the facts (secrets redacted at the same boundary as a scan's): 0, or 3
/// when the probe could not collect everything (its error, or a reason fact: why_not_collected).
int print_probe_result(Probe& probe, const ProbeRequest& request, ProbeContext& context, const Inventory& inv,
                       const std::string& target) {
    auto result = probe.collect(request);
    if (result) {
        redact_output(result.value(), *context.secrets);  // the scan's boundary, here too
    }
    if (!result) {
        write_probe_json(target, {}, context.secrets->redact(result.error().message), std::cout);
        return kExitIncomplete;
    }
    Facts facts = result.value().facts;
    for (const auto& [i, related] : result.value().related) {
        const std::string prefix = "group[" + inv.subjects[static_cast<std::size_t>(i)].id + "].";
        for (const auto& [name, fact] : related) {
            facts.emplace(prefix + name, fact);
        }
    }
    write_probe_json(target, facts, result.value().error, std::cout);
    return result.value().error.empty() && why_not_collected(facts).empty() ? kExitOk : kExitIncomplete;
}

}  // namespace

int cmd_probe(const std::vector<std::string>& args) {
    const po::options_description desc = probe_options();
    po::positional_options_description pos;
    pos.add("kind", 1).add("target", 1);
    const auto vm = parse(args, desc, pos);
    if (wants_help(vm, "usage: lisa probe KIND TARGET [options]   (kinds: tls HOST:PORT, http URL, "
                       "ldap URL, document PATH or https:// URL)", desc)) {
        return kExitOk;
    }
    if (!vm.count("kind") || !vm.count("target")) {
        throw UsageError("lisa probe needs a KIND and a TARGET");
    }
    const std::string kind = vm["kind"].as<std::string>();
    const std::string target = vm["target"].as<std::string>();
    const auto timeout = timeout_option(vm);
    const std::int64_t stale_days = integer_option(vm, "stale-days", kStaleDaysRange);
    ProbeRegistry registry;
    register_builtin_probes(registry);
    Probe* probe = registry.find(kind);
    if (probe == nullptr) {
        std::string kinds;
        for (const auto& p : registry.probes()) {
            kinds += (kinds.empty() ? "" : "|") + p->spec().kind;
        }
        throw UsageError("unknown probe kind '" + kind + "' (expected " + kinds + ")");
    }
    const std::string date = vm.count("as-of") ? vm["as-of"].as<std::string>() : today_utc();
    const auto as_of = Date::parse(date);
    if (!as_of) {
        throw UsageError("--as-of must be a date YYYY-MM-DD");
    }
    SubjectKind subject_kind = SubjectKind::Endpoint;
    const std::string yaml = probe_inventory_yaml(vm, kind, target, stale_days, subject_kind);
    Diagnostics diags;
    const Inventory inv = load_inventory({"<probe options>", yaml}, ".", diags);
    if (!diags.empty()) {
        std::string text;
        for (const auto& d : diags.items()) {
            text += (text.empty() ? "" : "; ") + d.message;
        }
        throw UsageError("invalid probe options: " + text);
    }
    const int index = inv.find(subject_kind, subject_kind == SubjectKind::Endpoint ? "probe/target" : "target");
    if (index < 0) {
        throw UsageError("cannot build a subject for probe '" + kind + "'");
    }
    ProbeContext context;
    context.as_of = *as_of;
    context.timeout = timeout;
    context.tls_full_depth = tls_full_depth_option(vm);
    const Facts visible = visible_declared(inv.subjects, index);
    const ProbeRequest request{inv.subjects[static_cast<std::size_t>(index)], index, visible,
                               inv.subjects, context};
    if (!probe->applies_to(request)) {
        throw UsageError("probe '" + kind + "' does not apply to '" + target + "'");
    }
    return print_probe_result(*probe, request, context, inv, target);
}

}  // namespace lisa::cli
