// SPDX-License-Identifier: Apache-2.0
#include "lisa/engine/scan.hpp"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace lisa {
namespace {

struct Task {
    Probe* probe = nullptr;
    int subject = -1;
    std::string target;  ///< as the probe names it ("host:port", a file)
    std::string host;    ///< the politeness key: the host without its port
};

// "host:443" → "host", "[::1]:443" → "[::1]", a path or bare host unchanged: politeness is per
// machine, whatever port a probe talks to.
std::string politeness_key(const std::string& target) {
    if (!target.empty() && target[0] == '[') {
        const auto close = target.find(']');
        return close == std::string::npos ? target : target.substr(0, close + 1);
    }
    const auto colon = target.find(':');
    if (colon != std::string::npos && target.find(':', colon + 1) == std::string::npos &&
        target.find('/') == std::string::npos) {
        return target.substr(0, colon);
    }
    return target;
}

std::vector<bool> select_subjects(const Inventory& inv, const std::vector<std::string>& systems) {
    std::vector<bool> selected(inv.subjects.size(), systems.empty());
    if (systems.empty()) {
        return selected;
    }
    for (std::size_t i = 0; i < inv.subjects.size(); ++i) {
        for (int j = static_cast<int>(i); j >= 0; j = inv.subjects[static_cast<std::size_t>(j)].parent) {
            const Subject& s = inv.subjects[static_cast<std::size_t>(j)];
            if (s.kind == SubjectKind::System &&
                std::find(systems.begin(), systems.end(), s.id) != systems.end()) {
                selected[i] = true;
                break;
            }
        }
    }
    return selected;
}

// Collects the fact ids a condition reads.
void facts_read(const Condition& c, std::set<int>& out) {
    if (c.kind == Condition::Kind::Compare) {
        out.insert(c.fact_id);
        return;
    }
    for (const auto& child : c.children) {
        facts_read(child, out);
    }
}

// Runs the tasks on `concurrency` threads, at most `per_host` at once against one host.
void run_tasks(const std::vector<Task>& tasks, const std::vector<Subject>& subjects,
               const std::vector<Facts>& visible, const ProbeContext& context,
               const ScanOptions& options, std::vector<Result<ProbeOutput>>& results,
               std::vector<double>& seconds, const ProgressFn& progress) {
    std::mutex mutex;
    std::condition_variable cv;
    std::vector<bool> started(tasks.size(), false);
    std::map<std::string, unsigned> active;
    std::size_t next_hint = 0;
    std::size_t done = 0;

    auto pick = [&]() -> std::optional<std::size_t> {  // under the lock
        for (std::size_t i = next_hint; i < tasks.size(); ++i) {
            if (!started[i] && active[tasks[i].host] < std::max(1U, options.per_host)) {
                return i;
            }
        }
        return std::nullopt;
    };
    auto worker = [&] {
        for (;;) {
            std::size_t index = 0;
            {
                std::unique_lock<std::mutex> lock(mutex);
                std::optional<std::size_t> chosen;
                cv.wait(lock, [&] {
                    while (next_hint < tasks.size() && started[next_hint]) {
                        ++next_hint;
                    }
                    if (next_hint >= tasks.size()) {
                        return true;
                    }
                    chosen = pick();
                    return chosen.has_value();
                });
                if (!chosen) {
                    return;  // nothing left to start
                }
                index = *chosen;
                started[index] = true;
                ++active[tasks[index].host];
            }
            const Task& task = tasks[index];
            const auto t0 = std::chrono::steady_clock::now();
            const ProbeRequest request{subjects[static_cast<std::size_t>(task.subject)], task.subject,
                                       visible[static_cast<std::size_t>(task.subject)], subjects,
                                       context};
            Result<ProbeOutput> result = Error{"not run"};
            try {
                result = task.probe->collect(request);
            } catch (const std::exception& e) {
                result = Error{std::string("probe failed unexpectedly: ") + e.what()};
            }
            const auto t1 = std::chrono::steady_clock::now();
            {
                std::lock_guard<std::mutex> lock(mutex);
                results[index] = std::move(result);
                seconds[index] = std::chrono::duration<double>(t1 - t0).count();
                --active[task.host];
                ++done;
                if (progress) {
                    progress(done, tasks.size(), task.target);
                }
            }
            cv.notify_all();
        }
    };
    const unsigned threads =
        std::max(1U, std::min<unsigned>(options.concurrency, static_cast<unsigned>(tasks.size())));
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (unsigned i = 0; i < threads; ++i) {
        pool.emplace_back(worker);
    }
    for (auto& t : pool) {
        t.join();
    }
}

}  // namespace

Facts visible_declared(const std::vector<Subject>& subjects, int index) {
    Facts out;
    // Parents always precede their children, so the walk ends at the organization (-1 above it).
    for (int i = index; i >= 0; i = subjects[static_cast<std::size_t>(i)].parent) {
        for (const auto& [name, fact] : subjects[static_cast<std::size_t>(i)].facts) {
            out.emplace(name, fact);  // nearer subjects win
        }
    }
    return out;
}

ScanResult run_scan(const Inventory& inventory, const RuleSet& rules, FactCatalog& catalog,
                    const ProbeRegistry& probes, const ScanOptions& options,
                    const ProgressFn& progress) {
    const auto& subjects = inventory.subjects;
    const std::size_t n = subjects.size();
    ScanResult result;
    result.selected = select_subjects(inventory, options.systems);
    result.probed.resize(n);

    // Which probes do the rules need? Each needed probe runs once per subject it applies to.
    std::set<int> read;
    for (const auto& rule : rules.rules) {
        if (rule.where) {
            facts_read(*rule.where, read);
        }
        facts_read(rule.expect, read);
    }
    std::set<std::string> needed;
    for (const int id : read) {
        if (auto info = catalog.lookup(catalog.name_of(id)); info && info->provider != "inventory") {
            needed.insert(info->provider);
        }
    }
    // A directory is probed when one of its selected access groups needs it.
    std::vector<bool> relevant = result.selected;
    for (std::size_t i = 0; i < n; ++i) {
        if (result.selected[i] && subjects[i].kind == SubjectKind::AccessGroup) {
            const int dir = inventory.find(SubjectKind::Directory,
                                           string_fact(subjects[i].facts, "access_group.directory"));
            if (dir >= 0) {
                relevant[static_cast<std::size_t>(dir)] = true;
            }
        }
    }

    std::vector<Facts> visible(n);
    for (std::size_t i = 0; i < n; ++i) {
        visible[i] = visible_declared(subjects, static_cast<int>(i));
    }
    ProbeContext context;
    context.as_of = options.as_of;
    context.timeout = options.timeout;
    context.base_dir = options.base_dir;
    context.tls_full_depth = options.tls_full_depth;

    std::vector<Task> tasks;
    // applied[subject] = probe kinds that ran on it; errors[subject][probe] = why facts are missing.
    std::vector<std::map<std::string, std::string>> errors(n);
    std::vector<std::set<std::string>> applied(n);
    for (const auto& probe : probes.probes()) {
        if (needed.count(probe->spec().kind) == 0) {
            continue;
        }
        for (std::size_t i = 0; i < n; ++i) {
            if (!relevant[i]) {
                continue;
            }
            const ProbeRequest request{subjects[i], static_cast<int>(i), visible[i], subjects, context};
            if (probe->applies_to(request)) {
                const std::string target = probe->target(request);
                tasks.push_back({probe.get(), static_cast<int>(i), target, politeness_key(target)});
            }
        }
    }
    // A fixed order (by host) keeps runs comparable; workers skip ahead past busy hosts.
    std::stable_sort(tasks.begin(), tasks.end(),
                     [](const Task& a, const Task& b) { return a.host < b.host; });

    std::vector<Result<ProbeOutput>> outputs(tasks.size(), Error{"not run"});
    std::vector<double> seconds(tasks.size(), 0.0);
    if (!tasks.empty()) {
        run_tasks(tasks, subjects, visible, context, options, outputs, seconds, progress);
    }
    // The boundary: every secret a probe read is known now; nothing a peer said goes further
    // unredacted (SecretRedactor).
    for (auto& output : outputs) {
        if (output) {
            redact_output(output.value(), *context.secrets);
        } else {
            output = Error{context.secrets->redact(output.error().message)};
        }
    }
    for (std::size_t t = 0; t < tasks.size(); ++t) {
        const Task& task = tasks[t];
        const std::string& kind = task.probe->spec().kind;
        const auto s = static_cast<std::size_t>(task.subject);
        applied[s].insert(kind);
        ProbeRun run{kind, task.subject, task.target, {}, seconds[t]};
        if (!outputs[t]) {
            run.error = outputs[t].error().message;
            errors[s][kind] = kind + ": " + run.error;
        } else {
            ProbeOutput& out = outputs[t].value();
            for (auto& [name, fact] : out.facts) {
                result.probed[s][name] = std::move(fact);
            }
            if (!out.error.empty()) {
                run.error = out.error;
                errors[s][kind] = kind + ": " + out.error;
            }
            for (auto& [index, facts] : out.related) {
                if (index < 0 || static_cast<std::size_t>(index) >= n) {
                    continue;
                }
                applied[static_cast<std::size_t>(index)].insert(kind);
                for (auto& [name, fact] : facts) {
                    result.probed[static_cast<std::size_t>(index)][name] = std::move(fact);
                }
            }
            for (auto& [index, error] : out.related_errors) {
                if (index >= 0 && static_cast<std::size_t>(index) < n) {
                    errors[static_cast<std::size_t>(index)][kind] = kind + ": " + error;
                }
            }
        }
        result.probe_runs.push_back(std::move(run));
    }
    std::sort(result.probe_runs.begin(), result.probe_runs.end(),
              [&](const ProbeRun& a, const ProbeRun& b) {
                  return std::tie(a.probe, subjects[static_cast<std::size_t>(a.subject)].id) <
                         std::tie(b.probe, subjects[static_cast<std::size_t>(b.subject)].id);
              });

    // Per subject, every interned fact it can see: probed/document facts beat declared ones,
    // nearer subjects beat ancestors.
    const std::size_t ids = catalog.interned_count();
    std::vector<std::string> provider(ids);
    for (std::size_t id = 0; id < ids; ++id) {
        if (auto info = catalog.lookup(catalog.name_of(static_cast<int>(id)))) {
            provider[id] = info->provider;
        }
    }
    auto build_view = [&](int index) {
        FactView view(ids);
        for (std::size_t id = 0; id < ids; ++id) {
            const std::string& name = catalog.name_of(static_cast<int>(id));
            const Fact* found = nullptr;
            for (int i = index; i >= 0 && found == nullptr; i = subjects[static_cast<std::size_t>(i)].parent) {
                const auto si = static_cast<std::size_t>(i);
                const auto p = result.probed[si].find(name);
                const auto d = subjects[si].facts.find(name);
                if (p != result.probed[si].end()) {
                    found = &p->second;
                }
                if (d != subjects[si].facts.end() &&
                    (found == nullptr || d->second.provenance > found->provenance)) {
                    found = &d->second;
                }
            }
            if (found != nullptr) {
                view.set(static_cast<int>(id), found);
                continue;
            }
            const std::string& kind = provider[id];
            if (kind.empty() || kind == "inventory") {
                continue;  // known absence: not declared
            }
            // A probe provides it: did that probe fail, not apply, or simply not state it?
            bool ran = false;
            for (int i = index; i >= 0; i = subjects[static_cast<std::size_t>(i)].parent) {
                const auto si = static_cast<std::size_t>(i);
                if (auto e = errors[si].find(kind); e != errors[si].end()) {
                    view.set_missing(static_cast<int>(id), e->second, false);
                    ran = true;
                    break;
                }
                ran = ran || applied[si].count(kind) > 0;
            }
            if (!ran && probes.find(kind) != nullptr) {
                view.set_missing(static_cast<int>(id),
                                 "probe '" + kind + "' does not apply to this " +
                                     std::string(to_string(subjects[static_cast<std::size_t>(index)].kind)),
                                 true);
            } else if (!ran) {
                view.set_missing(static_cast<int>(id), "probe '" + kind + "' is not available", false);
            }
        }
        return view;
    };

    // Evaluate every rule on every selected subject of its kind.
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return subjects[a].id < subjects[b].id; });
    std::map<SubjectKind, std::vector<std::size_t>> by_kind;
    for (const std::size_t i : order) {
        if (result.selected[i]) {
            by_kind[subjects[i].kind].push_back(i);
        }
    }
    std::map<std::size_t, FactView> views;
    for (std::size_t r = 0; r < rules.rules.size(); ++r) {
        const Rule& rule = rules.rules[r];
        for (const std::size_t s : by_kind[rule.for_each]) {
            auto it = views.find(s);
            if (it == views.end()) {
                it = views.emplace(s, build_view(static_cast<int>(s))).first;
            }
            Verdict verdict = evaluate(rule, it->second, catalog, options.as_of);
            Finding f;
            f.rule = static_cast<int>(r);
            f.subject = static_cast<int>(s);
            f.status = f.unwaived = verdict.status;
            f.message = std::move(verdict.message);
            f.detail = std::move(verdict.detail);
            f.evidence = std::move(verdict.evidence);
            result.findings.push_back(std::move(f));
        }
    }

    // Waivers: an unexpired waiver turns a matching fail into waived. Errors are never waived:
    // accepting a risk needs the risk to be known.
    std::vector<bool> used(inventory.waivers.size(), false);
    for (std::size_t w = 0; w < inventory.waivers.size(); ++w) {
        if (inventory.waivers[w].expires < options.as_of) {
            result.expired_waivers.push_back(static_cast<int>(w));
        }
    }
    for (auto& f : result.findings) {
        if (f.status != Status::Fail) {
            continue;
        }
        const std::string& rule_id = rules.rules[static_cast<std::size_t>(f.rule)].id;
        const std::string& subject_id = subjects[static_cast<std::size_t>(f.subject)].id;
        for (std::size_t w = 0; w < inventory.waivers.size(); ++w) {
            const Waiver& waiver = inventory.waivers[w];
            if (!glob_match(waiver.rule, rule_id) || !glob_match(waiver.subject, subject_id)) {
                continue;
            }
            used[w] = true;
            if (waiver.expires < options.as_of) {
                continue;  // expired: ignored, and reported
            }
            f.status = Status::Waived;
            f.waiver = static_cast<int>(w);
            break;
        }
    }
    for (std::size_t w = 0; w < used.size(); ++w) {
        if (!used[w]) {
            result.unused_waivers.push_back(static_cast<int>(w));
        }
    }
    return result;
}

}  // namespace lisa
