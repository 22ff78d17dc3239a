// SPDX-License-Identifier: Apache-2.0
#include "ldap_client.hpp"

#include "bounded_file.hpp"
#include "kerberos.hpp"

#include <lber.h>
#include <ldap.h>
#include <sasl/sasl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

namespace lisa::ldap_detail {
namespace {

using Clock = std::chrono::steady_clock;

timeval to_timeval(std::chrono::milliseconds ms) noexcept {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}

int to_ldap_scope(Scope scope) noexcept {
    switch (scope) {
        case Scope::Base:
            return LDAP_SCOPE_BASE;
        case Scope::OneLevel:
            return LDAP_SCOPE_ONELEVEL;
        case Scope::Subtree:
            return LDAP_SCOPE_SUBTREE;
    }
    return LDAP_SCOPE_BASE;
}

struct MessageDeleter {
    void operator()(LDAPMessage* message) const noexcept { ldap_msgfree(message); }
};
using MessagePtr = std::unique_ptr<LDAPMessage, MessageDeleter>;

struct ControlsDeleter {
    void operator()(LDAPControl** controls) const noexcept { ldap_controls_free(controls); }
};
using ControlsPtr = std::unique_ptr<LDAPControl*, ControlsDeleter>;

/// NULL-terminated char* array for ldap_search_ext; empty list means "all user attributes".
class AttributeArray {
public:
    explicit AttributeArray(const std::vector<std::string>& names) {
        for (const auto& name : names) {
            pointers_.push_back(const_cast<char*>(name.c_str()));  // libldap takes char**
        }
        pointers_.push_back(nullptr);
    }
    char** get() noexcept { return pointers_.size() == 1 ? nullptr : pointers_.data(); }

private:
    std::vector<char*> pointers_;
};

std::string ldap_message(int code) { return ldap_err2string(code); }

/// The end of one request's time: its --timeout from when it was sent, across all messages.
class Deadline {
public:
    explicit Deadline(std::chrono::milliseconds budget) : end_(Clock::now() + budget) {}
    /// The time left for ldap_result; false once the deadline has passed.
    bool left(timeval& tv) const {
        const auto rest = std::chrono::ceil<std::chrono::milliseconds>(end_ - Clock::now());
        if (rest.count() <= 0) {
            return false;
        }
        tv = to_timeval(rest);
        return true;
    }
    [[nodiscard]] Clock::time_point end() const noexcept { return end_; }

private:
    Clock::time_point end_;
};

std::string timed_out(std::chrono::milliseconds timeout) {
    return "timed out after " + std::to_string(timeout.count()) +
           " ms (the whole answer must arrive within --timeout)";
}

std::string too_many_entries() {
    return "stopped after " + std::to_string(kMaxEntriesPerSearch) +
           " entries, lisa's cap per search (narrow directory.base_dn or the filters)";
}

}  // namespace

/**
 * Decodes one entry without copying: the DN and values are views into the message, which
 * outlives the handler call. `attrs` and `to_free` are reused between entries.
 */
class EntryReader {
public:
    void read(
        LDAP* ld, LDAPMessage* entry,
        const std::function<void(std::string_view, const std::vector<EntryAttribute>&)>& handler) {
        BerElement* ber = nullptr;
        berval dn{};
        if (ldap_get_dn_ber(ld, entry, &ber, &dn) != LDAP_SUCCESS) {
            if (ber != nullptr) {
                ber_free(ber, 0);
            }
            return;
        }
        std::size_t count = 0;
        berval attr{};
        berval* values = nullptr;
        while (ldap_get_attribute_ber(ld, entry, ber, &attr, &values) == LDAP_SUCCESS &&
               attr.bv_val != nullptr) {
            if (count == attrs_.size()) {
                attrs_.emplace_back();
            }
            EntryAttribute& out = attrs_[count++];
            out.name = std::string_view(attr.bv_val, attr.bv_len);
            out.values.clear();
            if (values != nullptr) {
                for (const berval* v = values; v->bv_val != nullptr; ++v) {
                    out.values.emplace_back(v->bv_val, v->bv_len);
                }
                to_free_.push_back(values);
                values = nullptr;
            }
        }
        attrs_.resize(count);
        handler(std::string_view(dn.bv_val, dn.bv_len), attrs_);
        for (berval* v : to_free_) {
            ber_memfree(v);
        }
        to_free_.clear();
        ber_free(ber, 0);
    }

private:
    std::vector<EntryAttribute> attrs_;
    std::vector<berval*> to_free_;
};

/**
 * Debian 12's libldap (2.5.13, GnuTLS) ignores LDAP_OPT_NETWORK_TIMEOUT during the TLS
 * handshake: against a peer that accepts TCP and then stays silent, ldap_connect() for ldaps://
 * and ldap_start_tls_s() spin forever (so does `ldapwhoami -o nettimeout=1`). A connection
 * callback hands us the socket as soon as TCP is up; a watchdog thread shuts it down when the
 * handshake outlives its deadline, which makes the handshake fail at once. The watchdog works
 * on a dup() of the descriptor, so it can never hit a socket libldap already closed and the
 * process reused.
 */
struct Connection::HandshakeGuard {
    std::mutex mutex;
    std::condition_variable changed;
    int fd = -1;  // our dup of the connection's socket
    bool done = false;
    bool fired = false;
    ldap_conncb callbacks{};

    static int on_connect(LDAP*, Sockbuf* sb, LDAPURLDesc*, sockaddr*, ldap_conncb* ctx) {
        auto* guard = static_cast<HandshakeGuard*>(ctx->lc_arg);
        // No LDAP message larger than kMaxMessageBytes is buffered (liblber refuses it).
        ber_len_t max_incoming = kMaxMessageBytes;
        ber_sockbuf_ctrl(sb, LBER_SB_OPT_SET_MAX_INCOMING, &max_incoming);
        ber_socket_t fd = -1;
        if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) == 1 && fd >= 0) {
            const std::lock_guard<std::mutex> lock(guard->mutex);
            if (guard->fd < 0 && !guard->done) {
                guard->fd = dup(fd);
            }
        }
        guard->changed.notify_all();
        return 0;
    }
    static void on_close(LDAP*, Sockbuf*, ldap_conncb*) {}

    /// Runs in the watchdog thread until finish() is called.
    void watch(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock<std::mutex> lock(mutex);
        while (!done) {
            if (std::chrono::steady_clock::now() >= deadline) {
                if (fd >= 0) {
                    shutdown(fd, SHUT_RDWR);
                    fired = true;
                    return;
                }
                changed.wait(lock);  // past the deadline: act as soon as the socket is known
            } else {
                changed.wait_until(lock, deadline);
            }
        }
    }

    void finish() {
        {
            const std::lock_guard<std::mutex> lock(mutex);
            done = true;
        }
        changed.notify_all();
    }

    void release_fd() {
        const std::lock_guard<std::mutex> lock(mutex);
        if (fd >= 0) {
            ::close(fd);
            fd = -1;
        }
    }
};

/// What to do about a search's result code: a time limit hit, paging refused; "" otherwise.
std::string result_hint(int code) {
    if (code == LDAP_TIMELIMIT_EXCEEDED) {
        return " — timed out: the directory stopped the search at the time limit lisa sends with "
               "it (--timeout, per operation); give a longer --timeout";
    }
    // adminLimitExceeded (AD: MaxPageSize/a query policy; OpenLDAP: size.prtotal=disabled) or
    // unavailableCriticalExtension (a server without RFC 2696): the paged search was refused.
    if (code != LDAP_ADMINLIMIT_EXCEEDED && code != LDAP_UNAVAILABLE_CRITICAL_EXTENSION) {
        return {};
    }
    return " — the directory refuses paged searches (RFC 2696 pagedResults control) for lisa's "
           "account: allow them (Active Directory: the LDAP query policy's MaxPageSize, ntdsutil "
           "\"ldap policies\", at least 1000; OpenLDAP: 'limits' with size.prtotal not disabled)";
}

std::string describe_result(int code, std::string_view diagnostic) {
    std::string out = ldap_message(code) + " (" + std::to_string(code) + ")";
    if (!diagnostic.empty()) {
        out += ": ";
        out += diagnostic;
    }
    return out;
}

Connection::Connection(ldap* handle, std::chrono::milliseconds timeout,
                       std::unique_ptr<HandshakeGuard> guard) noexcept
    : ld_(handle), timeout_(timeout), guard_(std::move(guard)) {}

Connection::Connection(Connection&& other) noexcept
    : ld_(std::exchange(other.ld_, nullptr)),
      timeout_(other.timeout_),
      guard_(std::move(other.guard_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        close();
        ld_ = std::exchange(other.ld_, nullptr);
        timeout_ = other.timeout_;
        guard_ = std::move(other.guard_);
    }
    return *this;
}

Connection::~Connection() { close(); }

void Connection::close() noexcept {
    if (ld_ != nullptr) {
        ldap_unbind_ext_s(ld_, nullptr, nullptr);  // calls the guard's on_close: unbind first
        ld_ = nullptr;
    }
    guard_.reset();
}

std::string Connection::diagnostic() const {
    char* text = nullptr;
    if (ld_ == nullptr ||
        ldap_get_option(ld_, LDAP_OPT_DIAGNOSTIC_MESSAGE, &text) != LDAP_SUCCESS ||
        text == nullptr) {
        return {};
    }
    std::string out = text;
    ldap_memfree(text);
    return out;
}

Result<Connection> Connection::open(const ConnectSettings& settings) {
    LDAP* raw = nullptr;
    if (const int rc = ldap_initialize(&raw, settings.url.c_str()); rc != LDAP_SUCCESS) {
        return Error{"invalid ldap url '" + settings.url + "': " + describe_result(rc)};
    }
    auto guard = std::make_unique<HandshakeGuard>();
    guard->callbacks.lc_add = &HandshakeGuard::on_connect;
    guard->callbacks.lc_del = &HandshakeGuard::on_close;
    guard->callbacks.lc_arg = guard.get();
    HandshakeGuard& handshake = *guard;
    Connection conn(raw, settings.timeout, std::move(guard));
    const int version = LDAP_VERSION3;
    const timeval tv = to_timeval(settings.timeout);
    // Referrals are reported, never chased (chasing would resend our bind to another host).
    if (ldap_set_option(raw, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
        ldap_set_option(raw, LDAP_OPT_REFERRALS, nullptr) != LDAP_OPT_SUCCESS ||
        ldap_set_option(raw, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
        ldap_set_option(raw, LDAP_OPT_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
        ldap_set_option(raw, LDAP_OPT_CONNECT_CB, &handshake.callbacks) != LDAP_OPT_SUCCESS) {
        return Error{"cannot set ldap options"};
    }
    const bool tls = settings.starttls || settings.url.rfind("ldaps://", 0) == 0;
    if (tls) {
        // Per handle, never global: other probes run concurrently with other trust settings.
        // Debian's libldap uses GnuTLS; NEWCTX must come after the options it should pick up.
        if (!settings.ca_file.empty()) {
            // libldap (GnuTLS) takes only a path: the same check as every file lisa reads comes
            // first, so a FIFO or device is refused here instead of being waited on in there.
            if (auto checked = io::read_regular_file(settings.ca_file, io::kMaxCaFileBytes); !checked) {
                return Error{"cannot use ca_file: " + checked.error().message};
            }
            if (ldap_set_option(raw, LDAP_OPT_X_TLS_CACERTFILE, settings.ca_file.c_str()) !=
                LDAP_OPT_SUCCESS) {
                return Error{"cannot use ca file " + settings.ca_file};
            }
        }
        const int require =
            settings.verify_certificate ? LDAP_OPT_X_TLS_DEMAND : LDAP_OPT_X_TLS_ALLOW;
        const int is_server = 0;
        if (ldap_set_option(raw, LDAP_OPT_X_TLS_REQUIRE_CERT, &require) != LDAP_OPT_SUCCESS ||
            ldap_set_option(raw, LDAP_OPT_X_TLS_NEWCTX, &is_server) != LDAP_OPT_SUCCESS) {
            return Error{"cannot create tls context (ca file " +
                         (settings.ca_file.empty() ? std::string("system") : settings.ca_file) +
                         ")"};
        }
    }
    // TCP connect (bounded by the network timeout), TLS handshake or StartTLS (bounded by the
    // guard): together at most about twice the timeout.
    const auto deadline = std::chrono::steady_clock::now() + 2 * settings.timeout;
    std::thread watchdog([&handshake, deadline] { handshake.watch(deadline); });
    int rc = ldap_connect(raw);
    bool starttls_failed = false;
    if (rc == LDAP_SUCCESS && settings.starttls) {
        rc = ldap_start_tls_s(raw, nullptr, nullptr);
        starttls_failed = rc != LDAP_SUCCESS;
    }
    handshake.finish();
    watchdog.join();
    handshake.release_fd();
    if (rc == LDAP_SUCCESS) {
        return Result<Connection>{std::move(conn)};
    }
    const std::string what = handshake.fired ? "tls handshake timed out after " +
                                                   std::to_string(settings.timeout.count()) + " ms"
                                             : describe_result(rc, conn.diagnostic());
    if (starttls_failed) {
        return Error{"starttls with " + settings.url + " failed: " + what};
    }
    return Error{"cannot connect to " + settings.url + ": " + what};
}

Result<int> Connection::simple_bind(const std::string& dn, std::string_view password) {
    berval credentials{};
    credentials.bv_len = password.size();
    // libldap only reads it; berval has no const variant.
    credentials.bv_val = const_cast<char*>(password.data());
    const int rc =
        ldap_sasl_bind_s(ld_, dn.c_str(), nullptr, &credentials, nullptr, nullptr, nullptr);
    if (rc < 0) {  // client-side codes: server down, timeout, connect error
        return Error{"bind failed: " + describe_result(rc, diagnostic())};
    }
    return rc;
}

namespace {
/// SASL interactions of a GSSAPI bind: every prompt (only the authorization id is ever asked)
/// takes its default, i.e. none; nothing is read from a terminal.
int sasl_defaults(LDAP*, unsigned, void*, void* interactions) {
    for (auto* in = static_cast<sasl_interact_t*>(interactions); in->id != SASL_CB_LIST_END; ++in) {
        const char* value = in->defresult != nullptr ? in->defresult : "";
        in->result = value;
        in->len = static_cast<unsigned>(std::char_traits<char>::length(value));
    }
    return LDAP_SUCCESS;
}
}  // namespace

Result<int> Connection::gssapi_bind(const std::string& ccache, bool security_layer) {
    if (ldap_set_option(ld_, LDAP_OPT_X_SASL_NOCANON, LDAP_OPT_ON) != LDAP_OPT_SUCCESS ||
        (!security_layer &&
         ldap_set_option(ld_, LDAP_OPT_X_SASL_SECPROPS, "maxssf=0") != LDAP_OPT_SUCCESS)) {
        return Error{"cannot set sasl options"};
    }
    const ScopedThreadCcache use(ccache);
    // Synchronous; bounded by LDAP_OPT_TIMEOUT per exchange (set in open()).
    const int rc = ldap_sasl_interactive_bind_s(ld_, nullptr, "GSSAPI", nullptr, nullptr,
                                                LDAP_SASL_QUIET, &sasl_defaults, nullptr);
    if (rc < 0 && rc != LDAP_LOCAL_ERROR && rc != LDAP_AUTH_UNKNOWN && rc != LDAP_NOT_SUPPORTED) {
        return Error{"kerberos bind failed: " + describe_result(rc, diagnostic())};
    }
    return rc;
}

unsigned Connection::sasl_ssf() const {
    ber_len_t ssf = 0;
    if (ld_ == nullptr || ldap_get_option(ld_, LDAP_OPT_X_SASL_SSF, &ssf) != LDAP_OPT_SUCCESS) {
        return 0;
    }
    return static_cast<unsigned>(ssf);
}

Result<Connection::Outcome> Connection::search(const SearchRequest& request, int size_limit,
                                               const EntryHandler& on_entry) {
    AttributeArray attrs(request.attributes);
    timeval tv = to_timeval(timeout_);
    int msgid = 0;
    int rc = ldap_search_ext(ld_, request.base.c_str(), to_ldap_scope(request.scope),
                             request.filter.c_str(), attrs.get(), 0, nullptr, nullptr, &tv,
                             size_limit, &msgid);
    if (rc != LDAP_SUCCESS) {
        return Error{"search failed: " + describe_result(rc, diagnostic())};
    }
    Outcome outcome;
    EntryReader reader;
    const Deadline deadline(timeout_);
    for (;;) {
        LDAPMessage* raw = nullptr;
        rc = deadline.left(tv) ? ldap_result(ld_, msgid, LDAP_MSG_ONE, &tv, &raw) : 0;
        MessagePtr message(raw);
        if (rc == 0) {
            ldap_abandon_ext(ld_, msgid, nullptr, nullptr);
            return Error{"search " + timed_out(timeout_)};
        }
        if (rc < 0) {
            return Error{"search failed: " + describe_result(rc, diagnostic())};
        }
        if (rc == LDAP_RES_SEARCH_ENTRY) {
            ++outcome.entries;
            reader.read(ld_, message.get(), on_entry);
            if (size_limit > 0 && outcome.entries >= static_cast<std::size_t>(size_limit)) {
                // Enough: the server may ignore the size limit, lisa does not.
                ldap_abandon_ext(ld_, msgid, nullptr, nullptr);
                outcome.code = kLdapSizeLimitExceeded;
                return outcome;
            }
            if (outcome.entries > kMaxEntriesPerSearch) {
                ldap_abandon_ext(ld_, msgid, nullptr, nullptr);
                return Error{"search " + too_many_entries()};
            }
        } else if (rc == LDAP_RES_SEARCH_RESULT) {
            int code = 0;
            if (ldap_parse_result(ld_, message.get(), &code, nullptr, nullptr, nullptr, nullptr,
                                  0) != LDAP_SUCCESS) {
                return Error{"cannot parse search result"};
            }
            outcome.code = code;
            return outcome;
        }
    }
}

namespace {

/// The paged-results cookie of a page's final message: "" when the server says it was the last
/// page, or did not page at all (everything came in one go).
Result<std::string> next_page_cookie(LDAP* ld, LDAPMessage* result, const std::string& base) {
    int code = 0;
    char* diag = nullptr;
    LDAPControl** raw_controls = nullptr;
    if (ldap_parse_result(ld, result, &code, nullptr, &diag, nullptr, &raw_controls, 0) !=
        LDAP_SUCCESS) {
        return Error{"cannot parse search result"};
    }
    ControlsPtr server_controls(raw_controls);
    const std::string diagnostic_text = diag != nullptr ? diag : "";
    ldap_memfree(diag);
    if (code != LDAP_SUCCESS) {
        return Error{"search under '" + base + "' failed: " + describe_result(code, diagnostic_text) +
                     result_hint(code)};
    }
    LDAPControl* response =
        ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, server_controls.get(), nullptr);
    std::string cookie;
    if (response == nullptr) {
        return cookie;
    }
    ber_int_t estimate = 0;
    berval next{};
    if (ldap_parse_pageresponse_control(ld, response, &estimate, &next) != LDAP_SUCCESS) {
        return Error{"cannot parse paged results response"};
    }
    if (next.bv_val != nullptr) {
        cookie.assign(next.bv_val, next.bv_len);
        ber_memfree(next.bv_val);
    }
    return cookie;
}

}  // namespace

/// One page of a paged search: sends it with `cookie`, hands its entries to `on_entry` and
/// replaces `cookie` with the next page's ("" after the last). The page is one request: its
/// whole answer must arrive within the timeout from when it was sent.
Result<bool> Connection::search_page(const SearchRequest& request, int page_size,
                                     std::string& cookie, std::size_t& total,
                                     EntryReader& reader, const EntryHandler& on_entry) {
    AttributeArray attrs(request.attributes);
    berval cookie_bv{};
    cookie_bv.bv_len = cookie.size();
    cookie_bv.bv_val = cookie.empty() ? nullptr : cookie.data();
    LDAPControl* page_control = nullptr;
    if (ldap_create_page_control(ld_, page_size, &cookie_bv, 0, &page_control) != LDAP_SUCCESS) {
        return Error{"cannot create paged results control"};
    }
    LDAPControl* controls[] = {page_control, nullptr};
    timeval tv = to_timeval(timeout_);
    int msgid = 0;
    int rc = ldap_search_ext(ld_, request.base.c_str(), to_ldap_scope(request.scope),
                             request.filter.c_str(), attrs.get(), 0, controls, nullptr, &tv,
                             LDAP_NO_LIMIT, &msgid);
    ldap_control_free(page_control);
    if (rc != LDAP_SUCCESS) {
        return Error{"search under '" + request.base + "' failed: " + describe_result(rc, diagnostic())};
    }
    const Deadline deadline(timeout_);
    for (;;) {
        LDAPMessage* raw = nullptr;
        rc = deadline.left(tv) ? ldap_result(ld_, msgid, LDAP_MSG_ONE, &tv, &raw) : 0;
        MessagePtr message(raw);
        if (rc == 0) {
            ldap_abandon_ext(ld_, msgid, nullptr, nullptr);
            return Error{"search under '" + request.base + "' " + timed_out(timeout_)};
        }
        if (rc < 0) {
            return Error{"search under '" + request.base + "' failed: " + describe_result(rc, diagnostic())};
        }
        if (rc == LDAP_RES_SEARCH_ENTRY) {
            if (++total > kMaxEntriesPerSearch) {
                ldap_abandon_ext(ld_, msgid, nullptr, nullptr);
                return Error{"search under '" + request.base + "' " + too_many_entries()};
            }
            reader.read(ld_, message.get(), on_entry);
        } else if (rc == LDAP_RES_SEARCH_RESULT) {  // references (other naming contexts): skipped
            auto next = next_page_cookie(ld_, message.get(), request.base);
            if (!next) {
                return next.error();
            }
            cookie = std::move(next).value();
            return true;
        }
    }
}

Result<std::size_t> Connection::paged_search(const SearchRequest& request, int page_size,
                                             const EntryHandler& on_entry,
                                             const std::function<bool()>& stop) {
    std::string cookie;
    std::size_t total = 0;
    std::size_t pages = 0;
    EntryReader reader;
    do {
        if (++pages > kMaxPagesPerSearch) {
            return Error{"search under '" + request.base + "' stopped after " +
                         std::to_string(kMaxPagesPerSearch) +
                         " pages, lisa's cap per paged search (the server kept offering more)"};
        }
        if (auto page = search_page(request, page_size, cookie, total, reader, on_entry); !page) {
            return page.error();
        }
    } while (!cookie.empty() && !(stop && stop()));
    return total;
}

namespace {

/**
 * The outstanding requests of a pipelined batch, in the order they were sent. A server answers
 * a connection's requests in turn, so only the oldest outstanding request (the head) is timed,
 * from when it was sent or, if later, from when the one before it was answered: a request's
 * bound is its own, never the time it spent queued behind others in the window.
 */
class PipelineQueue {
public:
    struct Request {
        std::size_t index;  ///< into the batch
        std::size_t entries = 0;
    };

    void sent(int msgid, std::size_t index) {
        if (pending_.empty()) {
            head_since_ = Clock::now();
        }
        pending_.emplace(msgid, Request{index});
        order_.push_back(msgid);
    }
    Request* find(int msgid) {
        const auto it = pending_.find(msgid);
        return it == pending_.end() ? nullptr : &it->second;
    }
    void answered(int msgid) {
        pending_.erase(msgid);
        const bool head = !order_.empty() && order_.front() == msgid;
        while (!order_.empty() && pending_.count(order_.front()) == 0) {
            order_.pop_front();
        }
        if (head) {
            head_since_ = Clock::now();
        }
    }
    [[nodiscard]] std::size_t size() const noexcept { return pending_.size(); }
    [[nodiscard]] bool empty() const noexcept { return pending_.empty(); }
    /// When the head's answer must be complete.
    [[nodiscard]] Clock::time_point deadline(std::chrono::milliseconds timeout) const {
        return head_since_ + timeout;
    }
    void abandon_all(LDAP* ld) const {
        for (const auto& entry : pending_) {
            ldap_abandon_ext(ld, entry.first, nullptr, nullptr);
        }
    }

private:
    std::unordered_map<int, Request> pending_;  // msgid -> request
    std::deque<int> order_;                     // msgids in sending order (answered ones lazily)
    Clock::time_point head_since_{};
};

}  // namespace

Result<bool> Connection::pipelined_search(
    const std::vector<SearchRequest>& requests, std::size_t window,
    const std::function<void(std::size_t, std::string_view, const std::vector<EntryAttribute>&)>&
        on_entry,
    const std::function<void(std::size_t, int)>& on_done) {
    PipelineQueue queue;
    EntryReader reader;
    std::size_t next = 0;
    timeval tv = to_timeval(timeout_);
    while (next < requests.size() || !queue.empty()) {
        while (next < requests.size() && queue.size() < std::max<std::size_t>(1, window)) {
            const SearchRequest& request = requests[next];
            AttributeArray attrs(request.attributes);
            int msgid = 0;
            const int rc = ldap_search_ext(ld_, request.base.c_str(), to_ldap_scope(request.scope),
                                           request.filter.c_str(), attrs.get(), 0, nullptr, nullptr,
                                           &tv, LDAP_NO_LIMIT, &msgid);
            if (rc != LDAP_SUCCESS) {
                return Error{"search failed: " + describe_result(rc, diagnostic())};
            }
            queue.sent(msgid, next++);
        }
        const auto rest =
            std::chrono::ceil<std::chrono::milliseconds>(queue.deadline(timeout_) - Clock::now());
        LDAPMessage* raw = nullptr;
        int rc = 0;
        if (rest.count() > 0) {
            timeval wait = to_timeval(rest);
            rc = ldap_result(ld_, LDAP_RES_ANY, LDAP_MSG_ONE, &wait, &raw);
        }
        MessagePtr message(raw);
        if (rc == 0) {
            queue.abandon_all(ld_);
            return Error{"search " + timed_out(timeout_)};
        }
        if (rc < 0) {
            return Error{"search failed: " + describe_result(rc, diagnostic())};
        }
        const int msgid = ldap_msgid(message.get());
        PipelineQueue::Request* pending = queue.find(msgid);
        if (pending == nullptr) {
            continue;
        }
        const std::size_t index = pending->index;
        if (rc == LDAP_RES_SEARCH_ENTRY) {
            if (++pending->entries > kMaxEntriesPerSearch) {
                queue.abandon_all(ld_);
                return Error{"search " + too_many_entries()};
            }
            reader.read(ld_, message.get(),
                        [&](std::string_view dn, const std::vector<EntryAttribute>& attrs) {
                             on_entry(index, dn, attrs);
                         });
        } else if (rc == LDAP_RES_SEARCH_RESULT) {
            int code = 0;
            if (ldap_parse_result(ld_, message.get(), &code, nullptr, nullptr, nullptr, nullptr,
                                  0) != LDAP_SUCCESS) {
                return Error{"cannot parse search result"};
            }
            queue.answered(msgid);
            on_done(index, code);
        }
    }
    return true;
}

}  // namespace lisa::ldap_detail
