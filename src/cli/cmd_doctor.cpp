// SPDX-License-Identifier: Apache-2.0
// `lisa doctor --inventory FILE` (issue 16 item 4): a pre-flight that scans nothing. Per check one
// line — ok, or what is wrong and what to do — for what a scan needs before it can judge:
// evidence files, the directory's password (environment variable or file; never printed), names
// that resolve, ports that answer, CA files that parse and hold a root, and a directory bind.
// Every wait is bounded by --timeout; a name lookup that hangs is abandoned at the deadline.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "cli.hpp"
#include "commands.hpp"
#include "../audit/files.hpp"
#include "numbers.hpp"
#include "lisa/core/text.hpp"
#include "lisa/engine/probe.hpp"
#include "lisa/inventory/inventory.hpp"
#include "lisa/inventory/url.hpp"
#include "lisa/probes/ldap_probe.hpp"
#include "lisa/probes/register_builtin.hpp"
#include "lisa/engine/scan.hpp"
#include "lisa/report/could_not_check.hpp"

namespace po = boost::program_options;

namespace lisa::cli {
namespace {

constexpr std::size_t kMaxPasswordBytes = 4096;
constexpr std::size_t kMaxCaFileBytes = 1u << 20;

struct Check {
    bool ok = true;
    std::string what;    // "name ifo.exempelkommun.se"
    std::string detail;  // "resolves to 127.0.0.1" / the problem
    std::string todo;    // what to do, when not ok
    bool warning = false;  // ok, but worth saying (a password file others can read)
};

std::string str(const Subject& s, std::string_view fact) {
    const Value* v = find_value(s.facts, fact);
    if (v == nullptr) return "";
    if (const auto* p = v->as_string()) return *p;
    return v->to_display();
}

std::string where(const Subject& s) {
    const auto slash = s.location.file.rfind('/');
    return (slash == std::string::npos ? s.location.file : s.location.file.substr(slash + 1)) + ":" +
           std::to_string(s.location.line);
}

// getaddrinfo has no timeout of its own: it runs on a thread that is abandoned at the deadline.
struct Resolution {
    bool done = false;
    std::string error;
    std::string first_address;
};

Resolution resolve(const std::string& host, std::chrono::milliseconds timeout) {
    auto task = std::make_shared<std::packaged_task<Resolution()>>([host] {
        Resolution r;
        r.done = true;
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        addrinfo* res = nullptr;
        const int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
        if (rc != 0) {
            r.error = gai_strerror(rc);
            return r;
        }
        char buf[INET6_ADDRSTRLEN] = {0};
        if (res->ai_family == AF_INET) {
            inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr, buf, sizeof buf);
        } else if (res->ai_family == AF_INET6) {
            inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(res->ai_addr)->sin6_addr, buf, sizeof buf);
        }
        r.first_address = buf;
        ::freeaddrinfo(res);
        return r;
    });
    auto future = task->get_future();
    std::thread([task] { (*task)(); }).detach();
    if (future.wait_for(timeout) != std::future_status::ready) {
        Resolution r;
        r.error = "no answer from the resolver within " + std::to_string(timeout.count()) + " ms";
        return r;
    }
    return future.get();
}

// A TCP connect to host:port within the timeout; "" when it answered, else the reason.
std::string connect_to(const std::string& host, std::int64_t port, std::chrono::milliseconds timeout) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0 || res == nullptr) {
        return "cannot resolve";
    }
    std::string error = "no address";
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) continue;
        int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            rc = ::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count())));
            if (rc == 0) {
                error = "no answer within " + std::to_string(timeout.count()) + " ms";
                ::close(fd);
                continue;
            }
            int so = 0;
            socklen_t len = sizeof so;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &len);
            rc = so == 0 ? 0 : -1;
            errno = so;
        }
        if (rc == 0) {
            ::close(fd);
            ::freeaddrinfo(res);
            return "";
        }
        error = std::strerror(errno);
        ::close(fd);
    }
    ::freeaddrinfo(res);
    return error;
}

// The certificates of a PEM file: how many, and how many are self-signed roots.
std::string ca_problem(const std::string& path, std::size_t& certs, std::size_t& roots) {
    std::string error;
    const auto bytes = read_file(path, kMaxCaFileBytes, error);
    if (!bytes) return error;
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(bytes->data(), static_cast<int>(bytes->size())), BIO_free);
    certs = roots = 0;
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        ++certs;
        if (X509_check_issued(cert, cert) == X509_V_OK) ++roots;
        X509_free(cert);
    }
    if (certs == 0) return "holds no PEM certificate";
    return "";
}

/// Reads document subject `s` as the scan does (the document probe and its reader program, with
/// the scan's size and time limits): empty when it can be read as evidence, else the reason.
std::string read_as_evidence(const Inventory& inv, const Subject& s, std::chrono::milliseconds timeout) {
    ProbeRegistry registry;
    register_builtin_probes(registry);
    Probe* probe = registry.find("document");
    const int index = static_cast<int>(&s - inv.subjects.data());
    if (probe == nullptr) return "lisa was built without its document probe";
    ProbeContext context;
    context.as_of = *Date::parse(today_utc());  // certificates are judged as of today, not 1970
    context.timeout = timeout;
    const ProbeRequest request{s, index, inv.subjects, inv.targets, context};
    auto result = probe->collect(request);
    if (!result) return result.error().message;
    if (!result.value().error.empty()) return result.value().error;
    const Fact* error = nullptr;
    if (auto it = result.value().facts.find("document.error"); it != result.value().facts.end()) error = &it->second;
    const std::string* reason = error != nullptr ? error->value.as_string() : nullptr;
    return reason != nullptr ? *reason : std::string();
}

// What to do about a document that could not be read as evidence: the could-not-check cause's
// own advice when lisa knows the cause, else `otherwise`.
std::string advice_for(const std::string& problem, const std::string& otherwise, const std::string& at) {
    const Cause cause = cause_of(problem);
    return cause == Cause::Other ? otherwise : cause_advice(cause, "en") + " (" + at + ")";
}

/// The password of a directory subject, as the scan would read it; zeroed when destroyed.
struct DirectoryPassword {
    std::string value;
    bool present = false;
    ~DirectoryPassword() { value.assign(value.size(), '\0'); }
};

/// The checks of one inventory: each name looked up once, each host:port connected once.
class Doctor {
public:
    Doctor(const Inventory& inv, std::chrono::milliseconds timeout) : inv_(inv), timeout_(timeout) {}

    std::vector<Check> run() {
        for (const auto& s : inv_.subjects) {
            const std::string at = where(s);
            switch (s.kind) {
                case SubjectKind::Document:
                    check_document(s, at);
                    break;
                case SubjectKind::Endpoint:
                    if (const Value* port = find_value(s.facts, "endpoint.port"); port && port->as_int()) {
                        if (auto ascii = url::host_to_ascii(str(s, "endpoint.host"))) {
                            check_host(ascii.value(), *port->as_int(), at);
                        }
                    }
                    check_ca(str(s, "endpoint.ca_file"), str(s, "endpoint.trust_intermediates") == "true", at);
                    break;
                case SubjectKind::EService:
                    if (auto parsed = url::parse(str(s, "e_service.url"))) {
                        check_host(parsed.value().ascii_host, parsed.value().port, at);
                    }
                    break;
                case SubjectKind::Directory:
                    check_directory(s, at);
                    break;
                default:
                    break;
            }
        }
        return std::move(checks_);
    }

private:
    bool check_host(const std::string& host, std::int64_t port, const std::string& at) {
        if (host.empty()) return false;
        if (!resolved_.count(host)) {
            resolved_[host] = resolve(host, timeout_);
            const auto& r = resolved_[host];
            checks_.push_back({r.error.empty(), "name " + host,
                               r.error.empty() ? "resolves to " + r.first_address : "does not resolve: " + r.error,
                               "check the spelling at " + at + " and that this machine uses the municipality's DNS"});
        }
        if (!resolved_[host].error.empty()) return false;
        const std::string key = host + ":" + std::to_string(port);
        if (port > 0 && !connected_.count(key)) {
            connected_.insert(key);
            const std::string problem = connect_to(host, port, timeout_);
            checks_.push_back({problem.empty(), "port " + key, problem.empty() ? "answers" : "does not answer: " + problem,
                               "check the port at " + at + ", the server and the firewall, or run lisa from a network that reaches it"});
            return problem.empty();
        }
        return true;
    }

    void check_ca(const std::string& ca, bool intermediates, const std::string& at) {
        if (ca.empty()) return;
        std::size_t certs = 0, roots = 0;
        std::string problem = ca_problem(ca, certs, roots);
        if (problem.empty() && roots == 0 && !intermediates) {
            problem = "holds " + std::to_string(certs) + " certificates but no self-signed root";
        }
        checks_.push_back({problem.empty(), "CA file " + ca,
                           problem.empty() ? std::to_string(certs) + " certificates, " + std::to_string(roots) + " roots"
                                           : problem,
                           "give ca_file at " + at + " a PEM file with the root certificate (or trust_intermediates: true)"});
    }

    void check_document(const Subject& s, const std::string& at) {
        if (const std::string file = str(s, "document.path"); !file.empty()) {
            check_document_file(s, file, at);
        } else if (const std::string url = str(s, "document.url"); !url.empty()) {
            const auto parsed = url::parse(url);
            const bool reachable = parsed && check_host(parsed.value().ascii_host, parsed.value().port, at);
            check_ca(str(s, "document.ca_file"), false, at);
            if (reachable) {  // fetched and read as the scan does: a 404 or a page without a decision fails here
                const std::string problem = read_as_evidence(inv_, s, timeout_);
                checks_.push_back({problem.empty(), "evidence " + s.id, problem.empty() ? url + " (readable as evidence)" : problem,
                                   advice_for(problem, "check the url at " + at, at)});
            }
        } else if (const std::string listing = str(s, "document.discover"); !listing.empty()) {
            // The folder or page listed and each document found classified, as the scan does.
            const std::string problem = read_as_evidence(inv_, s, timeout_);
            checks_.push_back({problem.empty(), "evidence " + s.id, problem.empty() ? listing + " (listed)" : problem,
                               advice_for(problem, "check 'discover' at " + at, at)});
        }
    }

    void check_document_file(const Subject& s, const std::string& file, const std::string& at) {
        struct stat st{};
        const bool exists = ::stat(file.c_str(), &st) == 0;
        const bool regular = exists && S_ISREG(st.st_mode);
        const bool readable = regular && ::access(file.c_str(), R_OK) == 0;
        if (!readable) {
            checks_.push_back({false, "evidence " + s.id,
                               str(s, "document.file") + (!exists    ? ": no such file"
                                                          : !regular ? ": not a regular file"
                                                                     : ": not readable"),
                               "put the file there or correct 'path' at " + at});
            return;
        }
        // Readable is not enough: the scan's own reader says whether the file can be read
        // as evidence (damaged, encrypted, scanned, over the size limit …).
        const std::string problem = read_as_evidence(inv_, s, timeout_);
        const std::string name = str(s, "document.file");
        checks_.push_back({problem.empty(), "evidence " + s.id,
                           problem.empty() ? name + " (" + std::to_string(st.st_size) + " bytes, readable as evidence)"
                           : problem.find(name) != std::string::npos ? problem  // the reader names the file
                                                                     : name + ": " + problem,
                           advice_for(problem, "check the file named at " + at, at)});
    }

    /// The directory's password from its environment variable or file (never printed).
    void check_password(const Subject& s, const std::string& at, DirectoryPassword& password) {
        const std::string env = str(s, "directory.password_env");
        const std::string file = str(s, "directory.password_file");
        if (!env.empty()) {
            const char* v = std::getenv(env.c_str());
            password.present = v != nullptr && *v != '\0';
            if (password.present) password.value = v;
            checks_.push_back({password.present, "password of " + s.id, password.present ? "$" + env + " is set" : "$" + env + " is not set",
                               "export " + env + "=… in the environment lisa runs in (never in the inventory)"});
        } else if (!file.empty()) {
            std::string read_error;
            auto bytes = read_file(file, kMaxPasswordBytes, read_error);
            if (bytes) {
                while (!bytes->empty() && (bytes->back() == '\n' || bytes->back() == '\r')) bytes->pop_back();
                password.present = !bytes->empty();
                password.value = *bytes;
                bytes->assign(bytes->size(), '\0');
            }
            checks_.push_back({password.present, "password of " + s.id,
                               password.present ? "password_file is readable" : !bytes ? read_error : "password_file is empty",
                               "create password_file at " + at + " readable only by the user lisa runs as"});
            if (const std::string loose = password_file_mode_problem(file); password.present && !loose.empty()) {
                Check c{true, "password of " + s.id, loose, ""};
                c.warning = true;
                checks_.push_back(std::move(c));
            }
        } else if (!str(s, "directory.bind_dn").empty()) {
            checks_.push_back({false, "password of " + s.id, "bind_dn without password_env or password_file",
                               "add password_env or password_file at " + at});
        }
    }

    void check_directory(const Subject& s, const std::string& at) {
        const std::string bind_dn = str(s, "directory.bind_dn");
        DirectoryPassword password;
        check_password(s, at, password);
        check_ca(str(s, "directory.ca_file"), str(s, "directory.trust_intermediates") == "true", at);
        const std::int64_t port = find_value(s.facts, "directory.port") && find_value(s.facts, "directory.port")->as_int()
                                      ? *find_value(s.facts, "directory.port")->as_int()
                                      : 0;
        const auto host = url::host_to_ascii(str(s, "directory.host"));
        const bool reachable = host && check_host(host.value(), port, at);
        const bool kerberos = find_value(s.facts, "directory.kerberos") != nullptr;
        if (reachable && (password.present || bind_dn.empty() || kerberos)) {
            // The scan's own bind and its words (ldap_probe.hpp): TLS verified, why TLS
            // failed, the bind, then one paged search as the scan makes them.
            ProbeContext context;
            context.as_of = *Date::parse(today_utc());  // certificates are judged as of today, not 1970
            context.timeout = timeout_;
            const auto index = static_cast<std::size_t>(&s - inv_.subjects.data());
            const auto& target = std::get<DirectoryTarget>(inv_.targets[index]);
            std::vector<GroupCheck> groups;
            std::vector<std::string> group_at;
            for (std::size_t i = 0; i < inv_.subjects.size(); ++i) {
                const auto* group = std::get_if<AccessGroupTarget>(&inv_.targets[i]);
                if (group != nullptr && group->directory_index == static_cast<int>(index) && !group->dn.empty()) {
                    groups.push_back({"access group " + inv_.subjects[i].id, group->dn, {}});
                    group_at.push_back(where(inv_.subjects[i]));
                }
            }
            auto access = check_directory_access(s, target, context, &groups);
            // The server's words may quote the password: never printed with it.
            const std::string said = context.secrets->redact(access ? access.value() : access.error().message);
            checks_.push_back({static_cast<bool>(access), "bind to " + s.id, said,
                               "check what the message names in the directory at " + at});
            if (access) {
                report_groups(groups, group_at, at);
            }
        }
    }

    /// One line per group the bind could read or not; `group_at[i]` is where access group i is
    /// declared (the MFA groups after them are the directory's, at `directory_at`).
    void report_groups(const std::vector<GroupCheck>& groups, const std::vector<std::string>& group_at,
                       const std::string& directory_at) {
        for (std::size_t i = 0; i < groups.size(); ++i) {
            const GroupCheck& g = groups[i];
            const std::string& where_declared = i < group_at.size() ? group_at[i] : directory_at;
            checks_.push_back({g.problem.empty(), g.what,
                               g.dn + (g.problem.empty() ? ": a group the scan account reads" : ": " + g.problem),
                               "correct the DN at " + where_declared +
                                   ", or give the scan account read access to the group"});
        }
    }

    const Inventory& inv_;
    const std::chrono::milliseconds timeout_;
    std::vector<Check> checks_;
    std::map<std::string, Resolution> resolved_;  // host → result, each name looked up once
    std::set<std::string> connected_;
};

/// The inventory at `path`, loaded as the scan loads it; nullopt (its problems on stderr) when
/// it is not valid.
std::optional<Inventory> load_for_doctor(const std::string& path) {
    Diagnostics diagnostics;
    Inventory inv;
    std::string error;
    if (auto content = read_file(path, kMaxInputFileBytes, error)) {
        std::error_code ec;
        std::string dir = std::filesystem::absolute(std::filesystem::path(path).parent_path(), ec).lexically_normal().string();
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        inv = load_inventory({path, *content}, dir, diagnostics);
    } else {
        diagnostics.error({path, 1, 1}, error);
    }
    if (!diagnostics.empty()) {
        diagnostics.sort();
        for (const auto& d : diagnostics.items()) std::cerr << terminal_text(d.to_string(), false) << '\n';
        std::cerr << "lisa doctor: the inventory is not valid (" << diagnostics.items().size()
                  << " problems): fix what 'lisa validate' reports first\n";
        return std::nullopt;
    }
    return inv;
}

/// One line per check, then the count; the exit code.
int print_checks(const std::vector<Check>& checks) {
    std::size_t failed = 0;
    for (const auto& c : checks) {
        failed += c.ok ? 0 : 1;
        std::cout << (!c.ok ? "FAIL  " : c.warning ? "warn  " : "ok    ") << terminal_text(c.what, false) << ": "
                  << terminal_text(c.detail, false);
        if (!c.ok) std::cout << " — " << terminal_text(c.todo, false);
        std::cout << '\n';
    }
    std::cout << "lisa doctor: " << checks.size() << (checks.size() == 1 ? " check, " : " checks, ") << failed << " failed"
              << (failed ? ": a scan now would be incomplete" : "") << '\n';
    return failed ? kCmdIncomplete : kCmdOk;
}

}  // namespace

int cmd_doctor(const std::vector<std::string>& args, const char* /*argv0*/) {
    po::options_description desc("doctor options");
    desc.add_options()("help,h", "show this help")(
        "inventory,i", po::value<std::string>()->required(), "inventory file (YAML)")(
        "timeout", po::value<std::string>()->default_value("5"), "seconds each lookup, connect or bind may take");
    const auto vm = parse_command_line(args, desc);
    if (vm.count("help")) {
        std::cout << "usage: lisa doctor --inventory FILE [--timeout SECONDS]\n"
                     "  checks, without scanning, what a scan needs; one line per check with what to do.\n"
                     "  exit 0: every check passed; 3: a scan would be incomplete; 2: invalid inventory\n\n"
                  << desc;
        return kCmdOk;
    }
    std::string error;
    const auto seconds = parse_number("--timeout", vm["timeout"].as<std::string>(), kTimeoutRange, error);
    if (!seconds) throw UsageError(error);
    const std::chrono::milliseconds timeout(std::llround(*seconds * 1000));
    const auto inv = load_for_doctor(vm["inventory"].as<std::string>());
    if (!inv) {
        return kCmdUsage;
    }
    return print_checks(Doctor(*inv, timeout).run());
}

}  // namespace lisa::cli
