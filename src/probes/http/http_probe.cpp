// SPDX-License-Identifier: Apache-2.0
// The http probe: anonymous GETs with libcurl (redirects never followed, bodies capped, every
// request bounded by the timeout), turned into http.* and oidc.* facts.
#include "lisa/probes/http_probe.hpp"

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <functional>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "../pki/ca_file.hpp"
#include "../pki/bounded_get.hpp"
#include "../pki/peer_certificate.hpp"
#include "lisa/inventory/url.hpp"

namespace lisa {
namespace {

constexpr std::size_t kPageLimit = 64 * 1024;         // status and headers are what we want
constexpr std::size_t kDiscoveryLimit = 1024 * 1024;  // discovery documents are small
constexpr const char* kUserAgent = "lisa/0.1 (compliance scanner; anonymous)";

/// One response, as far as the probe cares.
struct Response {
    bool ok = false;
    std::string error;  ///< when !ok
    long status = 0;
    std::string location;    ///< absolute redirect target, when 3xx
    std::string hsts;        ///< Strict-Transport-Security, when present
    std::string body;        ///< up to the limit
    bool truncated = false;  ///< the body was longer than the limit
    bool client_cert_requested = false;  ///< the server sent a TLS CertificateRequest
    bool connected = false;  ///< the TCP connection was made (then it may still have failed)
};

// Observes the server's CertificateRequest: OpenSSL calls this when the server asks for a
// client certificate. We have none to give; we only note that it was asked for.
int note_client_cert_request(SSL* ssl, X509** /*cert*/, EVP_PKEY** /*key*/) {
    if (auto* flag = static_cast<bool*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)))) {
        *flag = true;
    }
    return 0;  // no certificate: continue the handshake without one
}

/// What the SSL_CTX callback installs: the client-certificate observer and, for a verified
/// transfer with a ca_file, that file's certificates parsed once (pki::ca_file).
struct CtxSetup {
    bool* client_cert_requested = nullptr;
    X509_STORE* store = nullptr;  ///< replaces the context's (empty) store when set
};

CURLcode install_ctx_setup(CURL* /*curl*/, void* ssl_ctx, void* data) {
    auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
    const auto* setup = static_cast<const CtxSetup*>(data);
    SSL_CTX_set_app_data(ctx, setup->client_cert_requested);
    SSL_CTX_set_client_cert_cb(ctx, note_client_cert_request);
    if (setup->store != nullptr) {
        SSL_CTX_set1_cert_store(ctx, setup->store);  // up-refs the shared store
    }
    return CURLE_OK;
}

struct CurlDeleter {
    void operator()(CURL* curl) const noexcept { curl_easy_cleanup(curl); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// The process's libcurl share handle: TLS sessions and DNS answers carry over between the
/// probe's transfers, so a later request to the same host:port resumes its TLS session instead
/// of a full handshake (issue 15). Connections are not shared: every request still opens its
/// own, so what one request observes (status, headers, a CertificateRequest) is its own.
/// libcurl calls the lock callbacks from any thread; one mutex per kind of shared data.
class CurlShare {
public:
    static CURLSH* handle() {
        static CurlShare* const share = new CurlShare();  // lives as long as the process
        return share->share_;
    }

private:
    CurlShare() : share_(curl_share_init()) {
        if (share_ == nullptr) {
            return;  // every transfer then goes unshared, as before
        }
        curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, lock);
        curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, unlock);
        curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
        curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
        curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    }
    static std::mutex& mutex_for(void* user, curl_lock_data data) {
        auto& locks = static_cast<CurlShare*>(user)->locks_;
        const auto i = static_cast<std::size_t>(data);
        return locks[i < locks.size() ? i : 0];
    }
    static void lock(CURL* /*curl*/, curl_lock_data data, curl_lock_access /*access*/, void* user) {
        mutex_for(user, data).lock();
    }
    static void unlock(CURL* /*curl*/, curl_lock_data data, void* user) { mutex_for(user, data).unlock(); }

    std::array<std::mutex, CURL_LOCK_DATA_LAST> locks_;
    CURLSH* share_;
};

struct Sink {
    std::string* body;
    std::size_t limit;
    bool* truncated;
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t bytes = size * count;
    if (sink->body->size() + bytes > sink->limit) {
        *sink->truncated = true;
        return 0;  // stop reading: makes curl end the transfer with CURLE_WRITE_ERROR
    }
    sink->body->append(data, bytes);
    return bytes;
}

std::string lower_first(std::string text) {
    if (!text.empty()) {
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    }
    return text;
}

std::string describe(CURLcode code, CURL* curl, const char* detail,
                     std::chrono::milliseconds timeout) {
    switch (code) {
        case CURLE_OPERATION_TIMEDOUT:
            return "timeout after " + std::to_string(timeout.count()) + " ms";
        case CURLE_COULDNT_CONNECT: {
            long os_errno = 0;
            curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
            if (os_errno == ECONNREFUSED) {
                return "connection refused";
            }
            break;
        }
        case CURLE_COULDNT_RESOLVE_HOST:
            return "cannot resolve host";
        case CURLE_PEER_FAILED_VERIFICATION: {
            // Which certificate (issue 15): a name mismatch or an untrusted chain is fixed by
            // replacing one, and the message says which.
            const std::string which = pki::peer_certificate(curl);
            return "tls certificate not trusted: " + lower_first(detail) + (which.empty() ? "" : " (" + which + ")");
        }
        case CURLE_SSL_CONNECT_ERROR:
            return "tls handshake failed: " + lower_first(detail);
        default:
            break;
    }
    return lower_first(detail[0] != '\0' ? detail : curl_easy_strerror(code));
}

/// Certificate checking: verified against ca_file's certificates (parsed once, pki::ca_file: the
/// store goes into `setup`, installed by the SSL_CTX callback) or the system store; or, with
/// `observe_only`, not enforced and no CA read into the handshake (ca_file must still be
/// readable). `ca` keeps the file alive for the transfer. Returns an error or "".
std::string set_trust(CURL* c, const std::string& ca_file, bool observe_only, std::shared_ptr<const pki::CaFile>& ca,
                      CtxSetup& setup) {
    if (observe_only) {
        // We observe HTTP behaviour (status, HSTS, redirects) even behind a weak or untrusted
        // certificate: whether the certificate is sound is the tls probe's fact, not ours to
        // enforce by refusing to look.
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_CIPHER_LIST, "DEFAULT:@SECLEVEL=0");
    } else {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
        pki::gather_peer_certificate(c);  // a refusal names the certificate
        // A resumed session skips the certificate, and libcurl cannot tell one ca_file's shared
        // store from another's: a verified transfer always checks the certificate it is sent.
        curl_easy_setopt(c, CURLOPT_SSL_SESSIONID_CACHE, 0L);
    }
    if (ca_file.empty()) {
        return {};
    }
    // Read through the bounded reader (a FIFO or device is refused, never waited on), so
    // libcurl never opens the path itself.
    ca = pki::ca_file(ca_file);
    if (!ca->error.empty()) {
        return "cannot load ca_file: " + ca->error;
    }
    if (observe_only) {
        return {};  // nothing is verified: libcurl would not use the certificates
    }
    if (ca->store != nullptr) {
        // The shared store replaces the context's; libcurl loads no CA file or path of its own.
        curl_easy_setopt(c, CURLOPT_CAINFO, nullptr);
        curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);
        setup.store = ca->store;
    } else {
        // No certificate in it: the bytes as a blob, so libcurl refuses them with its own words.
        curl_blob blob{const_cast<char*>(ca->pem.data()), ca->pem.size(), CURL_BLOB_NOCOPY};
        curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
    }
    return {};
}

/// The redirect target and the HSTS header of a completed transfer.
void read_answer_headers(CURL* c, Response& response) {
    if (response.status >= 300 && response.status < 400) {
        char* redirect = nullptr;
        if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK &&
            redirect != nullptr) {
            response.location = redirect;
        }
    }
    curl_header* header = nullptr;
    if (curl_easy_header(c, "Strict-Transport-Security", 0, CURLH_HEADER, -1, &header) ==
            CURLHE_OK &&
        header != nullptr && header->value != nullptr) {
        response.hsts = header->value;
    }
}

/// One anonymous GET; never follows redirects, never throws. With `connect_to`
/// ("name:port:host:port") the request for `name` goes to `host` (CURLOPT_CONNECT_TO).
Response fetch(const std::string& url, const std::string& ca_file,
               std::chrono::milliseconds timeout, std::size_t limit,
               const std::string& connect_to = {}, bool observe_only = false) {
    Response response;
    CurlPtr curl{curl_easy_init()};
    if (!curl) {
        response.error = "cannot initialise libcurl";
        return response;
    }
    char detail[CURL_ERROR_SIZE] = {};
    Sink sink{&response.body, limit, &response.truncated};
    const long timeout_ms = std::max<long>(1, static_cast<long>(timeout.count()));
    CURL* c = curl.get();
    pki::set_bounded_get(c, url, "http,https", timeout_ms, kUserAgent, detail, {write_body, &sink});
    std::shared_ptr<const pki::CaFile> ca;  // outlives the transfer: read during the handshake
    CtxSetup setup{&response.client_cert_requested, nullptr};
    if (std::string problem = set_trust(c, ca_file, observe_only, ca, setup); !problem.empty()) {
        response.error = std::move(problem);
        return response;
    }
    struct SlistDeleter {
        void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
    };
    // libcurl is built against OpenSSL on Debian: observe a CertificateRequest directly.
    curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, install_ctx_setup);
    curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, &setup);
    if (CURLSH* share = CurlShare::handle()) {
        curl_easy_setopt(c, CURLOPT_SHARE, share);
    }
    std::unique_ptr<curl_slist, SlistDeleter> connect_list;
    if (!connect_to.empty()) {
        connect_list.reset(curl_slist_append(nullptr, connect_to.c_str()));
        curl_easy_setopt(c, CURLOPT_CONNECT_TO, connect_list.get());
    }
    const CURLcode code = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    curl_off_t connect_us = 0;
    curl_easy_getinfo(c, CURLINFO_CONNECT_TIME_T, &connect_us);
    response.connected = connect_us > 0;
    if (code != CURLE_OK &&
        !(code == CURLE_WRITE_ERROR && response.truncated && response.status > 0)) {
        response.error = describe(code, c, detail, timeout);
        return response;
    }
    response.ok = true;
    read_answer_headers(c, response);
    return response;
}

bool is_redirect(long status) { return status >= 300 && status < 400; }

bool starts_with_https(const std::string& url) {
    std::string prefix = url.substr(0, 8);
    std::transform(prefix.begin(), prefix.end(), prefix.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return prefix == "https://";
}

/// Blocks SIGPIPE in the calling thread; a SIGPIPE raised meanwhile is discarded and the
/// previous mask restored on destruction (the last job runs on the caller's thread).
class SigpipeBlock {
public:
    SigpipeBlock() {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &set, &previous_);
    }
    ~SigpipeBlock() {
        if (sigismember(&previous_, SIGPIPE) == 1) {
            return;  // the caller blocked it: leave the mask and anything pending to the caller
        }
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        sigset_t pending;
        sigemptyset(&pending);
        const timespec now{0, 0};
        while (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1 &&
               sigtimedwait(&set, nullptr, &now) == SIGPIPE) {
        }
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;

private:
    sigset_t previous_{};
};

/// Runs the jobs at once, SIGPIPE blocked: every job but the last on a thread of its own, the
/// last on the calling thread (one thread fewer per endpoint, issue 15); waits for all.
void run_concurrently(const std::vector<std::function<void()>>& jobs) {
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i + 1 < jobs.size(); ++i) {
        const std::function<void()>& job = jobs[i];
        try {
            threads.emplace_back([&job] {
                const SigpipeBlock sigpipe;
                job();
            });
        } catch (const std::system_error&) {
            job();
        }
    }
    if (!jobs.empty()) {
        const SigpipeBlock sigpipe;
        jobs.back()();
    }
    for (auto& thread : threads) {
        thread.join();
    }
}

struct HttpScan {
    Facts facts;
    std::vector<std::string> problems;
};

// Facts of one scan, each with the URL it was observed at.
class HttpFacts {
public:
    explicit HttpFacts(HttpScan& scan) : scan_(scan) {}
    void put(const std::string& name, Value value, const std::string& from) {
        scan_.facts.insert_or_assign(name, probed(std::move(value), from));
    }
    void problem(std::string text) { scan_.problems.push_back(std::move(text)); }

    // The page itself: reachable, status, whether it asks for a login, HSTS (https only).
    void main_page(const Response& main, const HttpTarget& target, bool https, const std::string& source) {
        put("http.reachable", main.ok, source);
        if (!main.ok && main.client_cert_requested) {
            // The server refused the anonymous TLS handshake for want of a client certificate:
            // an observation (authentication required, certificate login), not a failure to observe.
            put("http.error", "client certificate required", source);
            put("http.auth_required", true, source);
            return;
        }
        if (!main.ok) {
            put("http.error", main.error, source);
            problem(main.error);
            return;
        }
        put("http.status", std::int64_t{main.status}, source);
        const bool login = is_redirect(main.status) && http::is_login_redirect(target.url, main.location, target.idp);
        put("http.auth_required", main.status == 401 || main.status == 403 || login, source);
        if (is_redirect(main.status) && !main.location.empty()) {
            put("http.login_redirect", main.location, source);
        }
        if (https) {  // browsers ignore HSTS sent over plain http
            const http::HstsPolicy hsts = http::parse_hsts(main.hsts);
            put("http.hsts.max_age", hsts.max_age, source);
            put("http.hsts.include_subdomains", hsts.include_subdomains, source);
            if (!main.hsts.empty() && !hsts.problem.empty()) {
                put("http.hsts.problem", hsts.problem, source);  // sent, but a browser ignores it
            }
        }
    }

    // The plain-http twin: reachable, and whether it redirects to https.
    // A refused or never-answered connection is a closed address (http.plain.reachable false); an
    // address that took the connection and then did not answer like a web server (silence,
    // garbage) leaves unknown whether it serves content: no fact, and the probe's problem.
    void plain_page(const Response& plain, const std::string& plain_url, bool plain_is_main) {
        const std::string plain_source = "http " + http::redact_url(plain_url);
        if (!plain.ok && plain.connected) {
            if (!plain_is_main) {  // the main page's own failure is reported once, by main_page
                problem("plain-http address " + http::redact_url(plain_url) + ": " + plain.error);
            }
            return;
        }
        put("http.plain.reachable", plain.ok, plain_source);
        if (plain.ok) {
            put("http.plain.status", std::int64_t{plain.status}, plain_source);
            put("http.redirects_to_https", is_redirect(plain.status) && starts_with_https(plain.location),
                plain_source);
        }
    }

    // The identity provider's OpenID discovery document.
    void discovery(const Response& discovery, const std::string& discovery_url, const std::string& idp) {
        const std::string oidc_source = "http " + http::redact_url(discovery_url);
        std::string error;
        if (!discovery.ok) {
            error = discovery.truncated ? "discovery document larger than 1 MiB" : discovery.error;
        } else if (discovery.status != 200) {
            error = "discovery returned HTTP " + std::to_string(discovery.status);
        } else if (discovery.truncated) {
            error = "discovery document larger than 1 MiB";
        } else if (auto parsed = http::parse_oidc_discovery(discovery.body, http::issuer_of(idp))) {
            put("oidc.issuer", parsed.value().issuer, oidc_source);
            put("oidc.acr_values_supported", parsed.value().acr_values_supported, oidc_source);
        } else {
            error = parsed.error().message;
        }
        if (!error.empty()) {
            put("oidc.error", error, oidc_source);
            problem("oidc: " + error);
        }
    }

private:
    HttpScan& scan_;
};

// Every request, SNI, Host header and certificate check uses the IDNA A-label form, converted in
// one place (lisa::url) rather than left to whatever the libcurl build does with UTF-8. A problem
// when the SNI name cannot be converted.
std::optional<std::string> to_ascii(const HttpTarget& given, HttpTarget& target) {
    target = given;
    target.url = url::to_ascii_url(given.url);
    target.http_url = given.http_url.empty() ? std::string{} : url::to_ascii_url(given.http_url);
    target.idp = given.idp.empty() ? std::string{} : url::to_ascii_url(given.idp);
    if (!given.sni.empty()) {
        auto sni = url::host_to_ascii(given.sni);
        if (!sni) {
            return "sni: " + sni.error().message;
        }
        target.sni = std::move(sni).value();
    }
    return std::nullopt;
}

HttpScan scan_http(const HttpTarget& given, const ProbeContext& context) {
    global_init();
    HttpScan scan;
    HttpFacts facts(scan);
    // Sources name the URL as written (Unicode host names stay readable).
    const std::string source = "http " + http::redact_url(given.url);
    HttpTarget target;
    if (auto problem = to_ascii(given, target)) {
        facts.put("http.reachable", false, source);
        facts.put("http.error", *problem, source);
        facts.problem(*problem);
        return scan;
    }
    const auto parts = http::split_url(target.url);
    if (!parts || (parts->scheme != "http" && parts->scheme != "https")) {
        facts.put("http.reachable", false, source);
        facts.put("http.error", "not an http(s) url: " + http::redact_url(target.url), source);
        facts.problem("not an http(s) url");
        return scan;
    }
    const bool https = parts->scheme == "https";
    // An http:// endpoint's plain-http answer is its own: an http_url beside it is not asked.
    const std::string plain_url =
        https && !target.http_url.empty() ? target.http_url : http::plain_http_twin(target.url);
    const bool plain_is_main = plain_url == target.url;
    const auto timeout = std::max(context.timeout, std::chrono::milliseconds{1});

    Response main;
    Response plain;
    Response discovery;
    std::vector<std::function<void()>> jobs;
    // With a declared SNI name, ask for that name and connect to the URL's host, so the
    // certificate is checked against the name the service really answers to.
    std::string main_url = target.url;
    std::string connect_to;
    if (!target.sni.empty() && target.sni != parts->host) {
        const std::string port = !parts->port.empty() ? parts->port : (https ? "443" : "80");
        const auto authority = main_url.find(parts->host, main_url.find("://") + 3);
        if (authority != std::string::npos) {
            main_url.replace(authority, parts->host.size(), target.sni);
            connect_to = target.sni + ":" + port + ":" + parts->host + ":" + port;
        }
    }
    jobs.emplace_back([&] { main = fetch(main_url, target.ca_file, timeout, kPageLimit, connect_to, true); });
    if (!plain_url.empty() && !plain_is_main) {
        jobs.emplace_back([&] { plain = fetch(plain_url, target.ca_file, timeout, kPageLimit, {}, true); });
    }
    const std::string discovery_url = target.idp.empty() ? "" : http::discovery_url(target.idp);
    if (!discovery_url.empty()) {
        jobs.emplace_back([&] { discovery = fetch(discovery_url, target.ca_file, timeout, kDiscoveryLimit); });
    }
    run_concurrently(jobs);
    if (plain_is_main) {
        plain = main;
    }
    facts.main_page(main, target, https, source);
    if (!plain_url.empty()) {
        facts.plain_page(plain, plain_url, plain_is_main);
    }
    if (!discovery_url.empty()) {
        facts.discovery(discovery, discovery_url, target.idp);
    }
    return scan;
}

const ProbeSpec& http_spec() {
    static const ProbeSpec spec = [] {
        ProbeSpec s;
        s.kind = "http";
        s.subjects = {SubjectKind::Endpoint};
        s.description =
            "anonymous HTTP(S) behaviour of an endpoint (status, HTTPS redirect, HSTS, login "
            "redirect) and OIDC discovery of its identity provider, observed with libcurl";
        s.facts = {
            {"http.reachable", ValueType::Bool, "an HTTP response came back for endpoint.url"},
            {"http.error", ValueType::String, "why http.reachable is false"},
            {"http.status", ValueType::Integer,
             "status of an anonymous GET, redirects not followed"},
            {"http.auth_required", ValueType::Bool,
             "the anonymous GET was refused (401/403) or redirected to a login/IdP"},
            {"http.login_redirect", ValueType::String, "Location of a 3xx answer (absolute)"},
            {"http.hsts.max_age", ValueType::Integer,
             "Strict-Transport-Security max-age over https, -1 when absent or invalid"},
            {"http.hsts.include_subdomains", ValueType::Bool, "HSTS includeSubDomains"},
            {"http.hsts.problem", ValueType::String,
             "why a Strict-Transport-Security header that was sent is invalid (RFC 6797 §6.1)"},
            {"http.plain.reachable", ValueType::Bool,
             "the plain-http twin (endpoint.http_url, or http://host/ on port 80) answered"},
            {"http.plain.status", ValueType::Integer, "status of the plain-http twin"},
            {"http.redirects_to_https", ValueType::Bool,
             "the plain-http twin answers 3xx with an https:// Location"},
            {"oidc.issuer", ValueType::String, "issuer of endpoint.idp's discovery document"},
            {"oidc.acr_values_supported", ValueType::List,
             "acr_values_supported of the discovery document ([] when absent)"},
            {"oidc.error", ValueType::String, "why the discovery document could not be read"},
        };
        return s;
    }();
    return spec;
}

class HttpProbe final : public Probe {
public:
    HttpProbe() { global_init(); }

    [[nodiscard]] const ProbeSpec& spec() const noexcept override { return http_spec(); }

    [[nodiscard]] bool applies_to(const ProbeRequest& request) const override {
        const auto* endpoint = request.target<EndpointTarget>();
        return endpoint != nullptr && (endpoint->url.parts.scheme == "http" || endpoint->url.parts.scheme == "https");
    }

    [[nodiscard]] std::string target(const ProbeRequest& request) const override {
        const auto* endpoint = request.target<EndpointTarget>();
        if (endpoint == nullptr) {
            return {};
        }
        const std::string port = endpoint->url.parts.port > 0 ? ":" + std::to_string(endpoint->url.parts.port) : "";
        return url::host_for_display(endpoint->url.parts.host) + port;
    }

    [[nodiscard]] Result<ProbeOutput> collect(const ProbeRequest& request) override {
        const auto* endpoint = request.target<EndpointTarget>();
        if (endpoint == nullptr) {
            return Error{"not an endpoint"};
        }
        HttpTarget target;
        target.url = endpoint->url.written;
        target.http_url = endpoint->http_url;
        target.idp = endpoint->idp;
        target.ca_file = endpoint->ca_file;  // absolute: the inventory loader resolved it
        target.sni = endpoint->sni;
        if (target.url.empty()) {
            return Error{"endpoint has no endpoint.url"};
        }
        HttpScan scan = scan_http(target, request.context);
        ProbeOutput output;
        output.facts = std::move(scan.facts);
        for (const auto& problem : scan.problems) {
            output.error += (output.error.empty() ? "" : "; ") + problem;
        }
        return output;
    }
};

}  // namespace

Facts collect_http_facts(const HttpTarget& target, const ProbeContext& context) {
    return scan_http(target, context).facts;
}

std::unique_ptr<Probe> make_http_probe() { return std::make_unique<HttpProbe>(); }

}  // namespace lisa
