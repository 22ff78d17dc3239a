// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lisa/core/diagnostics.hpp"
#include "lisa/core/subject.hpp"
#include "lisa/core/probe_spec.hpp"
#include "lisa/inventory/targets.hpp"
#include "lisa/rules/loader.hpp"

namespace lisa {

/// A riskacceptans: a decision to accept a rule's failure on some subjects until a date.
struct Waiver {
    std::string rule;         ///< rule id, or a glob ("KLASS-*")
    std::string subject;      ///< subject id, or a glob ("procapita/*"); "*" for all
    std::string reason;
    std::string decided_by;
    std::string decision_ref;  ///< diarienummer
    Date expires;
    SourceLocation location;
    SourceLocation rule_location;     ///< where 'rule' is written
    SourceLocation subject_location;  ///< where 'subject' is written
};

/**
 * Warnings about an inventory that is valid: the ASCII spelling of a Swedish value (`utforare`
 * for `utförare`) is accepted as the Swedish one, with a warning at its location. Never the
 * reverse: the Swedish spelling is canonical and never warned about.
 */
struct InventoryWarnings {
    std::vector<Diagnostic> items;
};

/// The municipality as its inventory file describes it.
struct Inventory {
    std::string name;               ///< organisation name
    std::string municipality_code;
    std::int64_t population = 0;
    /// The year the population figure refers to (SCB, 31 December); 0 = not declared. Selects
    /// which edition's size grouping the population is read against (see Benchmarks::group_of).
    int population_year = 0;
    /**
     * Driftsform per verksamhetsområde (Socialstyrelsen's "driftsformer", 003 B2 T1, 001 B2 T1):
     * "egen_regi", "delvis" (part handed to another legal person) or "helt_overlaten" (all
     * provider activity handed to "annan juridisk person"). An area not listed is egen regi.
     * The survey does not ask provider questions for a "helt_overlaten" area.
     */
    std::map<std::string, std::string> drift;
    std::vector<Subject> subjects;  ///< [0] is the organization; parents precede children
    /// Per subject (same index): what a probe works on, read once by the loader
    /// (lisa/inventory/targets.hpp); std::monostate for subjects no probe works on.
    std::vector<SubjectTarget> targets;
    std::vector<Waiver> waivers;
    ParamOverrides parameters;      ///< rule id → parameter → value
    std::map<std::string, std::map<std::string, SourceLocation>> parameter_locations;
    InventoryWarnings warnings;     ///< accepted, but worth saying (ASCII spellings)
    /// `report: {target_score, amber_from}`: the board's target for the score, 0–100, amber_from <
    /// target_score (checked with file:line:col). Page one's traffic light (report/page_one.hpp).
    std::optional<double> target_score;
    std::optional<double> amber_from;

    [[nodiscard]] int find(SubjectKind kind, std::string_view id) const;
};

/// Document roles the rules and the survey read (`document.role`, `system.document_roles`); any
/// other role silently matches no rule, so it is an inventory error with a did-you-mean.
[[nodiscard]] const std::vector<std::string>& document_roles();
/// ISMS role keys the rules read (`organization.isms.roles`, LIS-009/LIS-010).
[[nodiscard]] const std::vector<std::string>& isms_roles();
/// The scopes a system or rule names (`scope:`): socialtjanst, hsl (Socialstyrelsen's two surveys).
[[nodiscard]] const std::vector<std::string>& scopes();
/// Guideline topics LIS-005 and LIS-006 look for (`organization.isms.guideline_topics`).
[[nodiscard]] const std::vector<std::string>& guideline_topics();

/**
 * Waivers that name nothing (issue 16 item 3): a `rule` that matches no rule id of the pack or a
 * `subject` that matches no subject of the inventory (globs matched as the scan matches them) is
 * an error at its location with a did-you-mean, instead of a waiver that silently never applies.
 */
void check_waivers(const Inventory& inventory, const std::vector<std::string>& rule_ids, Diagnostics& diagnostics);

/// Verksamhetsområden as Socialstyrelsen's surveys name them (domain reference §1.0).
[[nodiscard]] const std::vector<std::string>& verksamhetsomraden();
/// The areas `organization.drift` may name: Socialstyrelsen's driftsformer (003 B2 T1), the
/// provider-side areas the survey asks per area. "Äldreomsorg" alone is not one of them.
[[nodiscard]] const std::vector<std::string>& drift_areas();
/// The scope a verksamhetsområde belongs to: "socialtjanst" or "hsl".
[[nodiscard]] std::string scope_of(std::string_view verksamhetsomrade);

/// Socialstyrelsen 2023 size group label for a population ("20–50 000 invånare").
[[nodiscard]] std::string size_group_2023(std::int64_t population);
/// Socialstyrelsen 2021 size group label ("30–70 000").
[[nodiscard]] std::string size_group_2021(std::int64_t population);

/// The declared facts the inventory provides, with the subject kind that carries each.
[[nodiscard]] const std::vector<std::pair<FactSpec, SubjectKind>>& inventory_fact_specs();

/**
 * Why a directory's simple bind with a password must not be attempted, or "" when it may: the
 * password would cross the network unencrypted (an ldap:// url without StartTLS). lisa never sends
 * it; `lisa validate` reports this at the directory's url, `lisa doctor` refuses, and the ldap
 * probe fails the directory with this message before opening any connection. Kerberos (SASL
 * GSSAPI, sealed on ldap://) and anonymous directories are not affected. Source: RFC 4513 §5.1.2
 * / §6.3.4 (simple binds need confidentiality protection); AD's LDAP server signing requirements.
 */
[[nodiscard]] std::string cleartext_password_bind_problem(bool tls, bool password_bind);

/// The one value `lisa init` writes where the system register does not say. load_inventory()
/// reports each occurrence, at any depth, as an error at its file:line:col naming the key to fill
/// in (and no second error for the same value, e.g. "not an integer").
inline constexpr const char* kInventoryPlaceholder = "<FYLL I>";

/**
 * Parses an inventory. `base_dir` is the inventory's directory: relative evidence, CA and
 * password file paths are resolved against it (as strings; nothing is read); the typed targets'
 * `ca_file`s are made absolute here, once. Inventory::targets is filled alongside the subjects. Every problem goes
 * to `diagnostics` as file:line:col.
 */
[[nodiscard]] Inventory load_inventory(const SourceText& source, const std::string& base_dir,
                                       Diagnostics& diagnostics);

/**
 * An inventory of one subject described in memory, for `lisa probe`: `entry` holds the keys of one
 * `endpoints:` (kind Endpoint), `directories:` (Directory) or `isms.documents:` (Document) entry as
 * typed values (strings, booleans, integers, lists; a key "a.b" is key b of the map a). The entry
 * gets the id "target" (an endpoint's system is "probe", the organisation "probe" of 0
 * inhabitants). The description is put into a YAML tree, written by yaml-cpp's emitter (which does
 * any quoting) and read by load_inventory: every check and message is the inventory's own, at
 * `origin`. Paths should be absolute (they are resolved against the current directory).
 */
[[nodiscard]] Inventory load_single_subject(SubjectKind kind, const std::vector<std::pair<std::string, Value>>& entry,
                                            const std::string& origin, Diagnostics& diagnostics);

}  // namespace lisa
