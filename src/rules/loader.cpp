// SPDX-License-Identifier: Apache-2.0
#include "lisa/rules/loader.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "../common/yaml_reader.hpp"

namespace lisa {
namespace {

using detail::YamlReader;

const std::vector<std::string> kRuleKeys = {
    "id",     "title",   "description", "area",    "severity", "indicator", "references",
    "for_each", "where", "require",     "params",  "expect",   "remediation", "scored"};

const std::vector<std::string> kSeverities = {"info", "low", "medium", "high", "critical"};

std::vector<std::string> subject_kind_names() {
    std::vector<std::string> out;
    for (auto k : all_subject_kinds()) {
        out.emplace_back(to_string(k));
    }
    return out;
}

// Operands fixed by the scan date: "$as_of", and the first and last day of the calendar year
// before it (the period Socialstyrelsen's "under <year>" questions ask about).
bool is_date_param(const std::string& name) {
    return name == "as_of" || name == "reference_year_start" || name == "reference_year_end";
}

// Compiles where/expect blocks against the fact catalog.
class ConditionCompiler {
public:
    ConditionCompiler(YamlReader& reader, FactCatalog& catalog, SubjectKind kind,
                      const std::map<std::string, Value>& params)
        : reader_(reader), catalog_(catalog), kind_(kind), params_(params) {}

    std::optional<Condition> compile(const YAML::Node& node, int depth) {
        if (!reader_.visit(node)) {
            return std::nullopt;
        }
        if (depth > kMaxConditionDepth) {
            reader_.error(node, "condition nested deeper than " +
                                    std::to_string(kMaxConditionDepth) + " levels");
            return std::nullopt;
        }
        if (!node.IsMap()) {
            reader_.error(node, "a condition must be a map like { fact: NAME, equals: VALUE } or "
                                "{ all: [...] }");
            return std::nullopt;
        }
        for (const char* combinator : {"all", "any", "none"}) {
            if (node[combinator]) {
                return compile_combinator(node, combinator, depth);
            }
        }
        return compile_comparison(node);
    }

private:
    std::optional<Condition> compile_combinator(const YAML::Node& node, const char* name,
                                                int depth) {
        Condition c;
        c.location = reader_.at(node);
        c.kind = std::string_view(name) == "all"   ? Condition::Kind::All
                 : std::string_view(name) == "any" ? Condition::Kind::Any
                                                   : Condition::Kind::None;
        if (node.size() != 1) {
            reader_.error(node, std::string("'") + name +
                                    "' must be the only key of its condition");
            return std::nullopt;
        }
        const YAML::Node list = node[name];
        if (!list.IsSequence() || list.size() == 0) {
            reader_.error(list, std::string("'") + name + "' takes a non-empty list of conditions");
            return std::nullopt;
        }
        bool ok = true;
        for (const auto& child : list) {
            auto compiled = compile(child, depth + 1);
            if (!compiled) {
                ok = false;
                if (reader_.diagnostics().items().size() > 10000) {
                    break;
                }
                continue;
            }
            c.children.push_back(std::move(*compiled));
        }
        if (!ok) {
            return std::nullopt;
        }
        return c;
    }

    std::optional<Condition> compile_comparison(const YAML::Node& node) {
        Condition c;
        c.location = reader_.at(node);
        const YAML::Node fact = node["fact"];
        if (!fact) {
            reader_.error(node, "condition has neither 'fact' nor all/any/none");
            return std::nullopt;
        }
        std::vector<std::string> allowed = operator_names();
        allowed.emplace_back("fact");
        if (!reader_.check_map(node, allowed, "a condition")) {
            return std::nullopt;
        }
        auto name = reader_.string(fact, "'fact'");
        if (!name) {
            return std::nullopt;
        }
        c.fact = *name;
        // The operator: exactly one key besides 'fact'.
        std::vector<YAML::Node> op_nodes;
        std::string op_name;
        for (const auto& kv : node) {
            if (kv.first.IsScalar() && kv.first.Scalar() != "fact" &&
                op_from_string(kv.first.Scalar())) {
                op_name = kv.first.Scalar();
                op_nodes.push_back(kv.second);
            }
        }
        if (op_nodes.size() != 1) {
            if (op_nodes.empty() && node.size() == 1) {
                reader_.error(node, "condition on '" + c.fact + "' has no operator (expected one of " +
                                        join(operator_names()) + ")");
            } else if (op_nodes.size() > 1) {
                reader_.error(node, "condition on '" + c.fact + "' has more than one operator");
            }
            return std::nullopt;
        }
        c.op = *op_from_string(op_name);
        const YAML::Node operand = op_nodes.front();

        const auto info = catalog_.lookup(c.fact);
        if (!info) {
            reader_.error(fact, "unknown fact '" + c.fact +
                                    "': no probe or inventory provides it" +
                                    detail::did_you_mean(c.fact, catalog_.names()));
            return std::nullopt;
        }
        if (!FactCatalog::visible_to(kind_, info->carriers)) {
            const std::string kind(to_string(kind_));
            const bool vowel = std::string("aeiou").find(kind[0]) != std::string::npos;
            reader_.error(fact, "fact '" + c.fact + "' is not visible to " + (vowel ? "an " : "a ") + kind +
                                    " subject");
            return std::nullopt;
        }
        c.fact_id = catalog_.intern(c.fact);
        // A count's named accounts ("X.accounts") are kept too: findings carry them as evidence.
        if (catalog_.lookup(c.fact + ".accounts")) {
            (void)catalog_.intern(c.fact + ".accounts");
        }
        // A probe's own disagreements ("P.conflicts", e.g. document.conflicts) are kept too: the
        // evaluator shows them beside any fact of that probe a rule reads.
        if (const std::string conflicts = c.fact.substr(0, c.fact.find('.')) + ".conflicts"; catalog_.lookup(conflicts)) {
            (void)catalog_.intern(conflicts);
        }
        if (!compile_operand(c, operand, info->type)) {
            return std::nullopt;
        }
        return c;
    }

    bool compile_operand(Condition& c, const YAML::Node& operand, ValueType fact_type) {
        const std::string op = std::string(to_string(c.op));
        if (operand.IsScalar() && !operand.Scalar().empty() &&
            operand.Scalar()[0] == '$') {
            c.param = operand.Scalar().substr(1);
            if (!is_date_param(c.param) && params_.find(c.param) == params_.end()) {
                std::vector<std::string> names;
                for (const auto& p : params_) {
                    names.push_back(p.first);
                }
                reader_.error(operand, "unknown parameter '$" + c.param + "'" +
                                           detail::did_you_mean(c.param, names));
                return false;
            }
            const Value sample = is_date_param(c.param) ? Value(Date{}) : params_.at(c.param);
            return check_operand_type(c, sample, operand, fact_type);
        }
        if (c.op == Op::In || c.op == Op::NotIn) {
            if (!operand.IsSequence()) {
                reader_.error(operand, "'" + op + "' takes a list");
                return false;
            }
        }
        auto value = reader_.value(operand, "operand of '" + op + "'");
        if (!value) {
            return false;
        }
        // A date fact compared with a quoted date string: read it as a date.
        if (fact_type == ValueType::Date && value->as_string() != nullptr) {
            if (auto d = Date::parse(*value->as_string())) {
                value = Value(*d);
            }
        }
        // YAML `[]` for an empty list.
        if (operand.IsSequence() && operand.size() == 0) {
            value = Value(StringList{});
        }
        c.operand = std::move(*value);
        if (!check_operand_type(c, c.operand, operand, fact_type)) {
            return false;
        }
        if (c.op == Op::Matches) {
            try {
                c.regex = std::make_shared<const std::regex>(c.operand.to_display(),
                                                             std::regex::ECMAScript);
            } catch (const std::regex_error& e) {
                reader_.error(operand, "invalid regular expression '" + c.operand.to_display() +
                                           "': " + e.what());
                return false;
            }
        }
        return true;
    }

    bool check_operand_type(const Condition& c, const Value& v, const YAML::Node& at,
                            ValueType fact_type) {
        const std::string op = std::string(to_string(c.op));
        const ValueType vt = v.type();
        auto fail = [&](const std::string& expected) {
            reader_.error(at, "'" + op + "' on " + std::string(to_string(fact_type)) + " fact '" +
                                  c.fact + "' needs " + expected + ", not " +
                                  std::string(to_string(vt)));
            return false;
        };
        const bool numeric_fact =
            fact_type == ValueType::Integer || fact_type == ValueType::Number;
        const bool numeric_value = vt == ValueType::Integer || vt == ValueType::Number;
        switch (c.op) {
            case Op::Exists:
                return vt == ValueType::Bool ? true : fail("true or false");
            case Op::WithinDays:
                if (fact_type != ValueType::Date) {
                    return fail("a date fact");
                }
                return vt == ValueType::Integer ? true : fail("a number of days");
            case Op::Lt:
            case Op::Lte:
            case Op::Gt:
            case Op::Gte:
                if (numeric_fact) {
                    return numeric_value ? true : fail("a number");
                }
                if (fact_type == ValueType::Date) {
                    return vt == ValueType::Date ? true : fail("a date");
                }
                if (fact_type == ValueType::String) {
                    return vt == ValueType::String ? true : fail("a string");
                }
                return fail("an ordered fact (number, date or string)");
            case Op::In:
            case Op::NotIn:
                if (fact_type == ValueType::List || fact_type == ValueType::Bool) {
                    return fail("a string or number fact");
                }
                return vt == ValueType::List ? true : fail("a list");
            case Op::Contains:
                if (fact_type != ValueType::List && fact_type != ValueType::String) {
                    return fail("a list or string fact");
                }
                return vt == ValueType::List ? fail("a single value") : true;
            case Op::Matches:
                if (fact_type != ValueType::String && fact_type != ValueType::List) {
                    return fail("a string fact");
                }
                return vt == ValueType::String ? true : fail("a regular expression string");
            case Op::Equals:
            case Op::NotEquals:
                if (numeric_fact && numeric_value) {
                    return true;
                }
                if (fact_type == vt) {
                    return true;
                }
                return fail("a " + std::string(to_string(fact_type)));
        }
        return true;
    }

    static std::string join(const std::vector<std::string>& items) {
        std::string out;
        for (const auto& i : items) {
            out += (out.empty() ? "" : "|") + i;
        }
        return out;
    }

    YamlReader& reader_;
    FactCatalog& catalog_;
    SubjectKind kind_;
    const std::map<std::string, Value>& params_;
};

// references: [{ kind: survey|guidance|law|iso|baseline, ref: "…" }, …]
void read_references(YamlReader& reader, const YAML::Node& list, Rule& rule) {
    static const std::vector<std::string> kinds = {"survey", "guidance", "law", "iso", "baseline"};
    if (!list.IsSequence()) {
        reader.error(list, "'references' must be a list of { kind, ref }");
        return;
    }
    for (const auto& item : list) {
        if (!reader.check_map(item, {"kind", "ref"}, "a reference")) {
            continue;
        }
        Reference r;
        const auto kind = reader.require(item, "kind", "a reference");
        const auto ref = reader.require(item, "ref", "a reference");
        if (!kind || !ref) {
            continue;
        }
        if (auto k = reader.string(*kind, "'kind'")) {
            if (std::find(kinds.begin(), kinds.end(), *k) == kinds.end()) {
                reader.error(*kind, "unknown reference kind '" + *k +
                                        "' (expected survey|guidance|law|iso|baseline)" +
                                        detail::did_you_mean(*k, kinds));
                continue;
            }
            r.kind = *k;
        }
        if (auto text = reader.string(*ref, "'ref'")) {
            r.ref = *text;
        }
        if (r.kind.empty() || r.ref.empty()) {
            reader.error(item, "a reference needs a non-empty 'kind' and 'ref'");
            continue;
        }
        if (r.kind == "guidance") {
            const auto& known = known_guidance();
            // Besides the catalogue: a named check of one of the peer AD scanners (issue 14),
            // "PingCastle: <rule id>" or "Purple Knight: <indicator>".
            const bool peer_check = (r.ref.rfind("PingCastle: ", 0) == 0 ||
                                     r.ref.rfind("Purple Knight: ", 0) == 0) &&
                                    r.ref.find(": ") + 2 < r.ref.size();
            if (!peer_check && std::find(known.begin(), known.end(), r.ref) == known.end()) {
                reader.error(*ref, "guidance '" + r.ref + "' is not in the domain catalogue's list" +
                                       detail::did_you_mean(r.ref, known));
                continue;
            }
        }
        if (r.kind == "iso" && r.ref.rfind("ISO/IEC 27001:2022 ", 0) != 0) {
            reader.error(*ref, "an iso reference names an ISO/IEC 27001:2022 clause or control, e.g. "
                               "\"ISO/IEC 27001:2022 A.8.5\"");
            continue;
        }
        rule.references.push_back(r.display());
        rule.typed_references.push_back(std::move(r));
    }
}

std::optional<Text> read_text(YamlReader& reader, const YAML::Node& node, std::string_view what) {
    if (node.IsScalar()) {
        return Text{node.Scalar(), node.Scalar()};
    }
    if (!reader.check_map(node, {"sv", "en"}, what)) {
        return std::nullopt;
    }
    Text text;
    bool ok = true;
    for (const char* lang : {"sv", "en"}) {
        const YAML::Node n = node[lang];
        if (!n) {
            reader.error(node, std::string(what) + " has no '" + lang + "' text");
            ok = false;
            continue;
        }
        if (auto s = reader.string(n, std::string(what) + "." + lang)) {
            (std::string_view(lang) == "sv" ? text.sv : text.en) = *s;
        } else {
            ok = false;
        }
    }
    if (!ok) {
        return std::nullopt;
    }
    return text;
}

// An optional scalar `key` of `node` into `out`.
void read_optional_string(YamlReader& reader, const YAML::Node& node, const char* key, std::string& out) {
    if (const YAML::Node n = node[key]) {
        if (auto s = reader.string(n, std::string("'") + key + "'")) {
            out = *s;
        }
    }
}

// An optional `key` whose value is one of `choices`: "unknown NOUN 'x' (expected a|b)" otherwise.
template <class E>
void read_choice(YamlReader& reader, const YAML::Node& node, const char* key, const std::string& noun,
                 const std::vector<std::pair<std::string, E>>& choices, E& out) {
    const YAML::Node n = node[key];
    if (!n) {
        return;
    }
    const auto s = reader.string(n, std::string("'") + key + "'");
    if (!s) {
        return;
    }
    std::vector<std::string> names;
    std::string expected;
    for (const auto& [name, value] : choices) {
        if (*s == name) {
            out = value;
            return;
        }
        names.push_back(name);
        expected += (expected.empty() ? "" : "|") + name;
    }
    reader.error(n, "unknown " + noun + " '" + *s + "' (expected " + expected + ")" + detail::did_you_mean(*s, names));
}

// id, title, remediation, area, severity, indicator, references, scored and require.
void read_rule_text(YamlReader& reader, const YAML::Node& node, Rule& rule) {
    if (auto id = reader.require(node, "id", "rule")) {
        if (auto s = reader.string(*id, "'id'")) {
            if (s->empty() || s->find_first_of(" \t\n") != std::string::npos) {
                reader.error(*id, "rule id must be non-empty and contain no spaces");
            }
            rule.id = *s;
        }
    }
    const std::string what = rule.id.empty() ? std::string("rule") : "rule " + rule.id;
    if (auto t = reader.require(node, "title", what)) {
        if (auto text = read_text(reader, *t, "'title'")) {
            rule.title = *text;
        }
    }
    if (auto r = reader.require(node, "remediation", what)) {
        if (auto text = read_text(reader, *r, "'remediation'")) {
            rule.remediation = *text;
        }
    }
    if (auto a = reader.require(node, "area", what)) {
        if (auto s = reader.string(*a, "'area'")) {
            rule.area = *s;
        }
    }
    if (auto s = reader.require(node, "severity", what)) {
        if (auto text = reader.string(*s, "'severity'")) {
            if (auto sev = severity_from_string(*text)) {
                rule.severity = *sev;
            } else {
                reader.error(*s, "unknown severity '" + *text + "' (expected info|low|medium|high|critical)" +
                                     detail::did_you_mean(*text, kSeverities));
            }
        }
    }
    read_optional_string(reader, node, "indicator", rule.indicator);
    if (const YAML::Node n = node["references"]) {
        read_references(reader, n, rule);
    }
    if (const YAML::Node n = node["scored"]) {
        if (auto b = reader.boolean(n, "'scored'")) {
            rule.scored = *b;
        }
    }
    if (const YAML::Node n = node["require"]) {
        if (auto s = reader.string(n, "'require'")) {
            if (*s == "probed") {
                rule.require = Provenance::Probed;
            } else if (*s == "document") {
                rule.require = Provenance::Document;
            } else {
                reader.error(n, "unknown 'require' value '" + *s + "' (expected probed|document)");
            }
        }
    }
}

// params: { name: default }
void read_rule_params(YamlReader& reader, const YAML::Node& n, Rule& rule) {
    if (!n.IsMap()) {
        reader.error(n, "'params' must be a map of name: default");
        return;
    }
    for (const auto& kv : n) {
        if (!kv.first.IsScalar()) {
            reader.error(kv.first, "parameter names must be scalars");
            continue;
        }
        if (auto v = reader.value(kv.second, "parameter '" + kv.first.Scalar() + "'")) {
            rule.params[kv.first.Scalar()] = *v;
        }
    }
}

// for_each, then where and expect compiled for that subject kind (and the rule's params).
void read_rule_conditions(YamlReader& reader, const YAML::Node& node, FactCatalog& catalog, Rule& rule) {
    const std::string what = rule.id.empty() ? std::string("rule") : "rule " + rule.id;
    const auto f = reader.require(node, "for_each", what);
    if (!f) {
        return;
    }
    const auto s = reader.string(*f, "'for_each'");
    if (!s) {
        return;
    }
    const auto kind = subject_kind_from_string(*s);
    if (!kind) {
        reader.error(*f, "unknown subject kind '" + *s + "'" + detail::did_you_mean(*s, subject_kind_names()));
        return;
    }
    rule.for_each = *kind;
    ConditionCompiler compiler(reader, catalog, rule.for_each, rule.params);
    if (const YAML::Node w = node["where"]) {
        rule.where = compiler.compile(w, 1);
    }
    if (auto e = reader.require(node, "expect", what)) {
        if (auto c = compiler.compile(*e, 1)) {
            rule.expect = std::move(*c);
        }
    }
}

// One rule; problems go to the reader's diagnostics, nullopt if the rule is unusable.
std::optional<Rule> read_rule(YamlReader& reader, const YAML::Node& node, FactCatalog& catalog) {
    const std::size_t before = reader.diagnostics().items().size();
    if (!reader.check_map(node, kRuleKeys, "a rule")) {
        return std::nullopt;
    }
    Rule rule;
    rule.location = reader.at(node);
    read_rule_text(reader, node, rule);
    if (const YAML::Node n = node["params"]) {
        read_rule_params(reader, n, rule);
    }
    read_rule_conditions(reader, node, catalog, rule);
    if (reader.diagnostics().items().size() != before) {
        return std::nullopt;
    }
    return rule;
}


// id, title, question, criteria, period, scope, provider, contradictions and unit.
void read_indicator_question(YamlReader& reader, const YAML::Node& node, IndicatorDef& def) {
    if (auto id = reader.require(node, "id", "indicator")) {
        if (auto s = reader.string(*id, "'id'")) {
            def.id = *s;
        }
    }
    const std::string what = "indicator " + def.id;
    if (auto t = reader.require(node, "title", what)) {
        if (auto text = read_text(reader, *t, "'title'")) {
            def.title = *text;
        }
    }
    read_optional_string(reader, node, "question_sv", def.question_sv);
    read_optional_string(reader, node, "question_basis", def.question_basis);
    if (const YAML::Node c = node["criteria"]) {
        if (auto text = read_text(reader, c, "'criteria'")) {
            def.criteria = *text;
        }
    }
    read_choice<Period>(reader, node, "period", "period",
                        {{"state", Period::State}, {"previous_year", Period::PreviousYear}}, def.period);
    if (const YAML::Node w = node["within_scope"]) {
        if (auto s = reader.string(w, "'within_scope'")) {
            if (*s != "socialtjanst" && *s != "hsl") {
                reader.error(w, "unknown scope '" + *s + "' (expected socialtjanst|hsl)");
            } else {
                def.within_scope = *s;
            }
        }
    }
    if (const YAML::Node p = node["provider"]) {
        if (auto b = reader.boolean(p, "'provider'")) {
            def.provider = *b;
        }
    }
    if (const YAML::Node c = node["contradictions"]) {
        if (auto list = reader.strings(c, "'contradictions'")) {
            def.contradictions = *list;
        }
    }
    if (auto u = reader.require(node, "unit", what)) {
        if (auto s = reader.string(*u, "'unit'")) {
            const auto kind = subject_kind_from_string(*s);
            if (!kind || (*kind != SubjectKind::System && *kind != SubjectKind::EService &&
                          *kind != SubjectKind::Document && *kind != SubjectKind::Organization)) {
                reader.error(*u, "unknown indicator unit '" + *s +
                                     "' (expected system|e_service|document|organization)");
            } else {
                def.unit = *kind;
            }
        }
    }
}

// breakdown, values, role and rules.
void read_indicator_breakdown(YamlReader& reader, const YAML::Node& node, IndicatorDef& def) {
    const std::string what = "indicator " + def.id;
    read_choice<Breakdown>(reader, node, "breakdown", "breakdown",
                           {{"none", Breakdown::None}, {"scope", Breakdown::Scope},
                            {"verksamhetsomrade", Breakdown::Verksamhetsomrade}},
                           def.breakdown);
    if (const YAML::Node values = node["values"]) {
        if (!values.IsSequence()) {
            reader.error(values, "'values' must be a list of { name, matches }");
        } else {
            for (const auto& v : values) {
                if (!reader.check_map(v, {"name", "matches", "earlier_names"}, "a breakdown value")) {
                    continue;
                }
                BreakdownValue value;
                if (auto n = reader.require(v, "name", "a breakdown value")) {
                    if (auto s = reader.string(*n, "'name'")) {
                        value.name = *s;
                    }
                }
                if (auto m = reader.require(v, "matches", "a breakdown value")) {
                    if (auto list = reader.strings(*m, "'matches'")) {
                        value.matches = *list;
                    }
                }
                if (const YAML::Node e = v["earlier_names"]) {
                    if (auto list = reader.strings(e, "'earlier_names'")) {
                        value.earlier_names = *list;
                    }
                }
                def.values.push_back(std::move(value));
            }
        }
    }
    if (def.breakdown != Breakdown::None && def.values.empty()) {
        reader.error(node, what + " is broken down but has no 'values'");
    }
    read_optional_string(reader, node, "role", def.role);
    if (auto r = reader.require(node, "rules", what)) {
        if (r->IsSequence() && r->size() == 0) {
            // An indicator no rule answers yet: the report says "not evidenced".
        } else if (auto list = reader.strings(*r, "'rules'")) {
            def.rules = *list;
        }
    }
}

// asked_if: { document_role: ROLE, not_asked: "reason" }
void read_indicator_asked_if(YamlReader& reader, const YAML::Node& asked, IndicatorDef& def) {
    if (!reader.check_map(asked, {"document_role", "not_asked"}, "'asked_if'")) {
        return;
    }
    if (auto role = reader.require(asked, "document_role", "'asked_if'")) {
        if (auto s = reader.string(*role, "'document_role'")) {
            def.asked_if_role = *s;
        }
    }
    if (auto reason = reader.require(asked, "not_asked", "'asked_if'")) {
        if (auto s = reader.string(*reason, "'not_asked'")) {
            def.not_asked_reason = *s;
        }
    }
}

// answer_from: { fact: NAME, labels: { VALUE: "alternative", … }, not_asked: "reason" }
void read_indicator_answer_from(YamlReader& reader, const YAML::Node& from, IndicatorDef& def) {
    if (!reader.check_map(from, {"fact", "labels", "not_asked"}, "'answer_from'")) {
        return;
    }
    if (auto f = reader.require(from, "fact", "'answer_from'")) {
        if (auto name = reader.string(*f, "'fact'")) {
            def.answer_fact = *name;
        }
    }
    if (auto labels = reader.require(from, "labels", "'answer_from'")) {
        if (!labels->IsMap() || labels->size() == 0) {
            reader.error(*labels, "'labels' must map fact values to the survey's alternatives");
        } else {
            for (const auto& kv : *labels) {
                const auto key = reader.string(kv.first, "a label key");
                const auto label = reader.string(kv.second, "a label");
                if (key && label) {
                    def.answer_labels.emplace_back(*key, *label);
                }
            }
        }
    }
    read_optional_string(reader, from, "not_asked", def.not_asked_reason);
}

// answers: the three-valued scale (all / some / none), or with measure.about_half the survey's
// five-step staff scale (all / more_than_half / about_half / fewer_than_half / none).
void read_indicator_answers(YamlReader& reader, const YAML::Node& answers, bool five_step, IndicatorDef& def) {
    const std::vector<std::string> keys =
        five_step ? std::vector<std::string>{"all", "more_than_half", "about_half", "fewer_than_half", "none"}
                  : std::vector<std::string>{"all", "some", "none"};
    if (!reader.check_map(answers, keys, "'answers'")) {
        return;
    }
    for (const auto& key : keys) {
        if (auto v = reader.require(answers, key.c_str(), "'answers'")) {
            if (auto s = reader.string(*v, "answers." + key)) {
                (key == "all"               ? def.answer_all
                 : key == "some"            ? def.answer_some
                 : key == "none"            ? def.answer_none
                 : key == "more_than_half"  ? def.answer_more_than_half
                 : key == "about_half"      ? def.answer_about_half
                                            : def.answer_fewer_than_half) = *s;
            }
        }
    }
}

// measure: { total: FACT, missing: FACT, about_half: [from, to] }
void read_indicator_measure(YamlReader& reader, const YAML::Node& measure, IndicatorDef& def) {
    if (!reader.check_map(measure, {"total", "missing", "about_half"}, "'measure'")) {
        return;
    }
    for (const char* key : {"total", "missing"}) {
        if (auto v = reader.require(measure, key, "'measure'")) {
            if (auto name = reader.string(*v, std::string("measure.") + key)) {
                (std::string_view(key) == "total" ? def.measure_total : def.measure_missing) = *name;
            }
        }
    }
    const YAML::Node band = measure["about_half"];
    if (!band) {
        return;
    }
    // [from, to] percent, inclusive, strictly inside (0, 100).
    if (!band.IsSequence() || band.size() != 2) {
        reader.error(band, "'about_half' must be [from, to] in percent, e.g. [45, 55]");
        return;
    }
    const auto from = reader.integer(band[0], "'about_half' from", 1, 99);
    const auto to = reader.integer(band[1], "'about_half' to", 1, 99);
    if (from && to) {
        if (*from > 50 || *to < 50) {
            reader.error(band, "'about_half' must contain 50 %");
        } else {
            def.about_half = std::make_pair(static_cast<int>(*from), static_cast<int>(*to));
        }
    }
}

std::optional<IndicatorDef> read_indicator(YamlReader& reader, const YAML::Node& node) {
    const std::size_t before = reader.diagnostics().items().size();
    if (!reader.check_map(node, {"id", "title", "question_sv", "question_basis", "criteria", "period", "within_scope",
                                 "provider", "contradictions", "unit", "breakdown", "values", "role",
                                 "rules", "answers", "empty", "measure", "answer_from", "asked_if"},
                          "an indicator")) {
        return std::nullopt;
    }
    IndicatorDef def;
    def.location = reader.at(node);
    read_indicator_question(reader, node, def);
    read_indicator_breakdown(reader, node, def);
    const YAML::Node measure = node["measure"];
    const bool five_step = measure && measure.IsMap() && measure["about_half"];
    if (const YAML::Node asked = node["asked_if"]) {
        read_indicator_asked_if(reader, asked, def);
    }
    if (const YAML::Node from = node["answer_from"]) {
        read_indicator_answer_from(reader, from, def);
    } else if (auto a = reader.require(node, "answers", "indicator " + def.id)) {
        read_indicator_answers(reader, *a, five_step, def);
    }
    if (measure) {
        read_indicator_measure(reader, measure, def);
    }
    if (const YAML::Node e = node["empty"]; e && !e.IsNull()) {
        if (auto s = reader.string(e, "'empty'")) {
            def.empty = *s;
        }
    }
    if (reader.diagnostics().items().size() != before) {
        return std::nullopt;
    }
    return def;
}

}  // namespace

const std::vector<std::string>& known_guidance() {
    // Domain catalogue §3.2 (socialstyrelsen-indicators.md), as the 2021/2023 reports cite them.
    static const std::vector<std::string> names = {
        "MSB: Ledningssystem för informationssäkerhet (LIS)",
        "MSB: Det systematiska informationssäkerhetsarbetet i den offentliga förvaltningen (Infosäkkollen 2021)",
        "IMY: Autentisering",
        "Socialstyrelsen: Säker personuppgiftsbehandling i socialtjänsten (2019)",
        "SKR: KLASSA, informationsklassning",
        "Inera: SITHS",
    };
    return names;
}

std::string Reference::display() const {
    if (kind == "survey") {
        // "003 B3 T5" → "Socialstyrelsen 2023 bilaga 3 tabell 5"; other ids as written.
        static const std::map<std::string, std::string> years = {
            {"000", "2021"}, {"001", "2025"}, {"002", "2014"}, {"003", "2023"}};
        const auto space = ref.find(' ');
        const auto year = years.find(ref.substr(0, space));
        if (year == years.end() || space == std::string::npos) {
            return "Socialstyrelsen " + ref;
        }
        std::string rest = ref.substr(space + 1);
        std::string out = "Socialstyrelsen " + year->second;
        if (rest.size() > 1 && rest[0] == 'B' && std::isdigit(static_cast<unsigned char>(rest[1]))) {
            const auto sp = rest.find(' ');
            out += " bilaga " + rest.substr(1, sp - 1);
            rest = sp == std::string::npos ? "" : rest.substr(sp + 1);
        }
        if (rest.size() > 1 && rest[0] == 'T' && std::isdigit(static_cast<unsigned char>(rest[1]))) {
            return out + " tabell " + rest.substr(1);
        }
        return out + (rest.empty() ? "" : " (" + rest + ")");
    }
    if (kind == "baseline") {
        return "lisa baseline: " + ref;
    }
    return ref;
}

const Rule* RuleSet::find(std::string_view id) const {
    const auto it = std::lower_bound(rules.begin(), rules.end(), id,
                                     [](const Rule& r, std::string_view v) { return r.id < v; });
    return it != rules.end() && it->id == id ? &*it : nullptr;
}

const AreaDef* RuleSet::find_area(std::string_view id) const {
    const auto it = std::lower_bound(areas.begin(), areas.end(), id,
                                     [](const AreaDef& a, std::string_view v) { return a.id < v; });
    return it != areas.end() && it->id == id ? &*it : nullptr;
}

namespace {

/// `areas: [{id, title: {sv, en}}]` of one rule file.
void read_areas(YamlReader& reader, const YAML::Node& areas, std::vector<AreaDef>& out) {
    if (!areas.IsSequence()) {
        reader.error(areas, "'areas' must be a list of {id, title: {sv, en}}");
        return;
    }
    for (const auto& node : areas) {
        if (!reader.check_map(node, {"id", "title"}, "an area")) {
            continue;
        }
        AreaDef area;
        area.location = reader.at(node);
        const auto id = reader.require(node, "id", "an area");
        const auto title = reader.require(node, "title", "an area");
        if (!id || !title) {
            continue;
        }
        const auto id_text = reader.string(*id, "'id'");
        auto text = read_text(reader, *title, "'title'");
        if (!id_text || !text) {
            continue;
        }
        area.id = *id_text;
        area.title = std::move(*text);
        out.push_back(std::move(area));
    }
}

}  // namespace

namespace {

// A map-shaped rule file's areas and indicators; its rules node (an empty list when it has none).
std::optional<YAML::Node> read_rule_file_map(YamlReader& reader, const YAML::Node& doc, RuleSet& set) {
    if (!reader.check_map(doc, {"schema_version", "areas", "rules", "indicators"}, "a rule file")) {
        return std::nullopt;
    }
    if (const YAML::Node areas = doc["areas"]) {
        read_areas(reader, areas, set.areas);
    }
    if (const YAML::Node indicators = doc["indicators"]) {
        if (!indicators.IsSequence()) {
            reader.error(indicators, "'indicators' must be a list");
        } else {
            for (const auto& node : indicators) {
                if (auto def = read_indicator(reader, node)) {
                    set.indicators.push_back(std::move(*def));
                }
            }
        }
    }
    return doc["rules"] ? doc["rules"] : YAML::Node(YAML::NodeType::Sequence);
}

// The rules of one list, each id once in the whole pack, at most kMaxRules in all.
void read_rule_list(YamlReader& reader, const YAML::Node& rules, FactCatalog& catalog, RuleSet& set,
                    std::map<std::string, SourceLocation>& seen) {
    for (const auto& node : rules) {
        if (!reader.visit(node)) {
            break;
        }
        if (set.rules.size() >= kMaxRules) {
            reader.error(node, "too many rules (limit " + std::to_string(kMaxRules) + ")");
            break;
        }
        auto rule = read_rule(reader, node, catalog);
        if (!rule) {
            continue;
        }
        const auto [it, inserted] = seen.emplace(rule->id, rule->location);
        if (!inserted) {
            reader.error(node, "duplicate rule id '" + rule->id + "' (first defined at " + it->second.file + ":" +
                                   std::to_string(it->second.line) + ")");
            continue;
        }
        set.rules.push_back(std::move(*rule));
    }
}

void check_unique_areas(RuleSet& set) {
    std::sort(set.areas.begin(), set.areas.end(), [](const AreaDef& a, const AreaDef& b) { return a.id < b.id; });
    for (std::size_t i = 1; i < set.areas.size(); ++i) {
        if (set.areas[i].id == set.areas[i - 1].id) {
            const SourceLocation& first = set.areas[i - 1].location;
            set.diagnostics.error(set.areas[i].location, "duplicate area id '" + set.areas[i].id +
                                                             "' (first declared at " + first.file + ":" +
                                                             std::to_string(first.line) + ")");
        }
    }
}

// Indicators: unique ids, and every rule they name exists.
void check_indicators(RuleSet& set) {
    std::map<std::string, SourceLocation> indicator_ids;
    for (const auto& def : set.indicators) {
        const auto [it, inserted] = indicator_ids.emplace(def.id, def.location);
        if (!inserted) {
            set.diagnostics.error(def.location, "duplicate indicator id '" + def.id + "' (first defined at " +
                                                    it->second.file + ":" + std::to_string(it->second.line) + ")");
        }
        std::vector<std::string> named = def.rules;
        named.insert(named.end(), def.contradictions.begin(), def.contradictions.end());
        for (const auto& rule : named) {
            if (set.find(rule) == nullptr) {
                std::vector<std::string> ids;
                for (const auto& r : set.rules) {
                    ids.push_back(r.id);
                }
                set.diagnostics.error(def.location, "indicator " + def.id + " names unknown rule '" + rule + "'" +
                                                        detail::did_you_mean(rule, ids));
            }
        }
    }
    std::sort(set.indicators.begin(), set.indicators.end(),
              [](const IndicatorDef& a, const IndicatorDef& b) { return a.id < b.id; });
}

}  // namespace

RuleSet load_rules(const std::vector<SourceText>& files, FactCatalog& catalog) {
    RuleSet set;
    std::map<std::string, SourceLocation> seen;
    for (const auto& file : files) {
        if (set.rules.size() >= kMaxRules) {
            // Bounded work: past the cap, files are not even parsed.
            set.diagnostics.error({file.origin, 1, 1}, "not read: the rule pack already holds " +
                                                           std::to_string(kMaxRules) + " rules");
            continue;
        }
        YamlReader reader(file.origin, set.diagnostics);
        auto doc = reader.parse(file.content);
        if (!doc) {
            continue;
        }
        YAML::Node rules = *doc;
        if (doc->IsMap()) {
            auto list = read_rule_file_map(reader, *doc, set);
            if (!list) {
                continue;
            }
            rules = *list;
        }
        if (doc->IsNull()) {
            continue;  // an empty file holds no rules
        }
        if (!rules.IsSequence()) {
            reader.error(rules, "a rule file must be a list of rules");
            continue;
        }
        read_rule_list(reader, rules, catalog, set, seen);
    }
    std::sort(set.rules.begin(), set.rules.end(), [](const Rule& a, const Rule& b) { return a.id < b.id; });
    check_unique_areas(set);
    check_indicators(set);
    return set;
}

namespace {

bool substitute(Condition& c, const Rule& rule, Date as_of, std::string& problem) {
    if (c.kind != Condition::Kind::Compare) {
        for (auto& child : c.children) {
            if (!substitute(child, rule, as_of, problem)) {
                return false;
            }
        }
        return true;
    }
    if (c.param.empty()) {
        return true;
    }
    if (c.param == "as_of") {
        c.operand = Value(as_of);
        return true;
    }
    if (c.param == "reference_year_start" || c.param == "reference_year_end") {
        const int year = std::stoi(as_of.to_string().substr(0, 4)) - 1;
        c.operand = Value(c.param == "reference_year_start" ? Date::from_ymd(year, 1, 1)
                                                            : Date::from_ymd(year, 12, 31));
        return true;
    }
    c.operand = rule.params.at(c.param);
    if (c.op == Op::Matches) {
        try {
            c.regex = std::make_shared<const std::regex>(c.operand.to_display());
        } catch (const std::regex_error&) {
            problem = "parameter '" + c.param + "' is not a valid regular expression";
            return false;
        }
    }
    return true;
}

}  // namespace

void apply_params(std::vector<Rule>& rules, const ParamOverrides& overrides,
                  const std::map<std::string, std::map<std::string, SourceLocation>>& locations,
                  Date as_of, Diagnostics& diagnostics) {
    auto where = [&](const std::string& rule, const std::string& name) {
        const auto r = locations.find(rule);
        if (r == locations.end()) {
            return SourceLocation{"<parameters>", 1, 1};
        }
        const auto p = r->second.find(name);
        return p == r->second.end() ? SourceLocation{"<parameters>", 1, 1} : p->second;
    };
    for (const auto& entry : overrides) {
        const std::string& rule_id = entry.first;
        const auto& values = entry.second;
        auto it = std::find_if(rules.begin(), rules.end(),
                               [&rule_id](const Rule& r) { return r.id == rule_id; });
        if (it == rules.end()) {
            diagnostics.error(where(rule_id, {}), "parameters for unknown rule '" + rule_id + "'");
            continue;
        }
        for (const auto& [name, value] : values) {
            const auto p = it->params.find(name);
            if (p == it->params.end()) {
                diagnostics.error(where(rule_id, name),
                                  "rule " + rule_id + " has no parameter '" + name + "'");
                continue;
            }
            const bool numeric_ok = p->second.as_number() && value.as_number();
            if (p->second.type() != value.type() && !numeric_ok) {
                diagnostics.error(where(rule_id, name),
                                  "parameter '" + name + "' of rule " + rule_id + " must be of type " +
                                      std::string(to_string(p->second.type())));
                continue;
            }
            p->second = value;
        }
    }
    for (auto& rule : rules) {
        std::string problem;
        if (rule.where && !substitute(*rule.where, rule, as_of, problem)) {
            diagnostics.error(rule.location, problem);
        }
        if (!substitute(rule.expect, rule, as_of, problem)) {
            diagnostics.error(rule.location, problem);
        }
    }
}

}  // namespace lisa
