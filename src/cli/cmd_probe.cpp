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

/// The inventory entry the options describe (load_single_subject's keys), for probe `kind`.
std::vector<std::pair<std::string, Value>> probe_entry(const po::variables_map& vm, const std::string& kind,
                                                       const std::string& target, std::int64_t stale_days) {
    std::vector<std::pair<std::string, Value>> entry;
    const auto text = [&](const char* option, const char* key) {
        if (vm.count(option)) entry.emplace_back(key, vm[option].as<std::string>());
    };
    const auto file = [&](const char* option, const char* key) {
        if (vm.count(option)) entry.emplace_back(key, std::filesystem::absolute(vm[option].as<std::string>()).string());
    };
    const auto flag = [&](const char* option, const char* key) {
        if (vm[option].as<bool>()) entry.emplace_back(key, true);
    };
    if (kind == "tls" || kind == "http") {
        const bool bare = target.find("://") == std::string::npos;
        entry.emplace_back("url", bare ? (kind == "tls" ? "tls://" : "https://") + target : target);
        entry.emplace_back("exposure", "external");
        text("sni", "sni");
        file("ca-file", "ca_file");
        flag("trust-intermediates", "trust_intermediates");
        flag("starttls", "starttls");
        text("http-url", "http_url");
        text("idp", "idp");
    } else if (kind == "ldap") {
        entry.emplace_back("url", target);
        entry.emplace_back("base_dn", vm.count("base") ? vm["base"].as<std::string>() : std::string());
        text("flavour", "flavour");
        entry.emplace_back("stale_days", stale_days);
        text("bind-dn", "bind_dn");
        text("password-env", "password_env");
        file("password-file", "password_file");
        file("ca-file", "ca_file");
        flag("starttls", "starttls");
        text("shared-marker", "shared_marker");
        entry.emplace_back("strong_auth.mfa_groups",
                           vm.count("mfa-group") ? vm["mfa-group"].as<std::vector<std::string>>() : StringList{});
        text("strong-auth-attribute", "strong_auth.attribute");
    } else if (kind == "document") {
        // A published document is fetched over verified HTTPS (--ca-file for a private CA).
        entry.emplace_back("role", "riktlinje");
        if (target.find("://") != std::string::npos) {  // the loader refuses any but https://
            entry.emplace_back("url", target);
            file("ca-file", "ca_file");
        } else {
            entry.emplace_back("path", std::filesystem::absolute(target).string());
        }
    }
    return entry;
}

/// The subject kind probe `kind` is called for.
SubjectKind probe_subject_kind(const std::string& kind) {
    return kind == "ldap" ? SubjectKind::Directory : kind == "document" ? SubjectKind::Document : SubjectKind::Endpoint;
}

/// --group DNs as the directory's access groups (ids g1, g2, …), typed as the loader types them.
void add_probe_groups(const po::variables_map& vm, int directory, Inventory& inv) {
    if (!vm.count("group")) return;
    const auto groups = vm["group"].as<std::vector<std::string>>();
    const Subject& dir = inv.subjects[static_cast<std::size_t>(directory)];
    const std::string dir_id = dir.id;
    const SourceLocation at = dir.location;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        Subject group;
        group.kind = SubjectKind::AccessGroup;
        group.id = dir_id + "/g" + std::to_string(i + 1);
        group.name = group.id;
        group.parent = directory;
        group.location = at;
        inv.subjects.push_back(std::move(group));
        inv.targets.emplace_back(AccessGroupTarget{dir_id, directory, groups[i], false});
    }
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
    const SubjectKind subject_kind = probe_subject_kind(kind);
    Diagnostics diags;
    Inventory inv = load_single_subject(subject_kind, probe_entry(vm, kind, target, stale_days), "<probe options>", diags);
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
    if (subject_kind == SubjectKind::Directory) {
        add_probe_groups(vm, index, inv);
    }
    ProbeContext context;
    context.as_of = *as_of;
    context.timeout = timeout;
    context.tls_full_depth = tls_full_depth_option(vm);
    const ProbeRequest request{inv.subjects[static_cast<std::size_t>(index)], index, inv.subjects, inv.targets,
                               context};
    if (!probe->applies_to(request)) {
        throw UsageError("probe '" + kind + "' does not apply to '" + target + "'");
    }
    return print_probe_result(*probe, request, context, inv, target);
}

}  // namespace lisa::cli
