// SPDX-License-Identifier: Apache-2.0
// URLs and host names: libcurl's URL API parses, libidn2 converts, libldap reads LDAP URL
// extensions. No sockets, no files.
#include "lisa/inventory/url.hpp"

#include <curl/curl.h>
#include <arpa/inet.h>
#include <idn2.h>
#include <sys/socket.h>
#include <ldap.h>

#include <algorithm>
#include <iterator>
#include <cctype>
#include <memory>

namespace lisa::url {
namespace {

struct CurlUrlDeleter {
    void operator()(CURLU* handle) const noexcept { curl_url_cleanup(handle); }
};
using CurlUrlPtr = std::unique_ptr<CURLU, CurlUrlDeleter>;

/// A string curl_url_get handed out (freed with curl_free), or empty when the part is absent.
std::optional<std::string> get_part(CURLU* handle, CURLUPart part, unsigned flags = 0) {
    char* text = nullptr;
    if (curl_url_get(handle, part, &text, flags) != CURLUE_OK || text == nullptr) {
        return std::nullopt;
    }
    std::string out(text);
    curl_free(text);
    return out;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::int64_t default_port(const std::string& scheme) {
    if (scheme == "https" || scheme == "tls") return 443;
    if (scheme == "http") return 80;
    if (scheme == "ldaps") return 636;
    if (scheme == "ldap") return 389;
    if (scheme == "smtp") return 25;
    if (scheme == "smtps") return 465;
    return 0;
}

std::string strip_brackets(std::string host) {
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        return host.substr(1, host.size() - 2);
    }
    return host;
}

}  // namespace

bool is_international(std::string_view host) noexcept {
    return std::any_of(host.begin(), host.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

namespace {

Result<std::string> idn_to_ascii(const std::string& input) {
    char* output = nullptr;
    const int rc = idn2_to_ascii_8z(input.c_str(), &output,
                                    IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL | IDN2_USE_STD3_ASCII_RULES);
    if (rc != IDN2_OK || output == nullptr) {
        idn2_free(output);
        return Error{std::string(is_international(input) ? "invalid internationalised host name: "
                                                         : "invalid host name: ") +
                     idn2_strerror(rc)};
    }
    std::string ascii(output);
    idn2_free(output);
    return ascii;
}

/// An IP literal ("[v6]", v4 or bare v6): what it is, never converted.
bool is_ip_literal_host(const std::string& input) {
    if (input.size() > 2 && input.front() == '[' && input.back() == ']' &&
        input.find(':') != std::string::npos) {
        unsigned char v6[16];
        if (inet_pton(AF_INET6, input.substr(1, input.size() - 2).c_str(), v6) == 1) {
            return true;
        }
    }
    unsigned char address[16];
    return inet_pton(AF_INET, input.c_str(), address) == 1 || inet_pton(AF_INET6, input.c_str(), address) == 1;
}

/// The name as written, checked before conversion: no port, the root's trailing dot dropped,
/// no empty label, and only letters, digits, hyphens and dots among its ASCII characters.
Result<std::string> checked_as_written(std::string input) {
    if (input.find(':') != std::string::npos) {
        return Error{"invalid host name: a port or ':' does not belong in a host name"};
    }
    // The root's trailing dot is never sent (SNI, RFC 6066 §3, carries no trailing dot).
    if (input.size() > 1 && input.back() == '.') {
        input.pop_back();
    }
    if (input.empty() || input.front() == '.' || input.find("..") != std::string::npos) {
        return Error{"invalid host name: an empty label"};
    }
    // Every ASCII character as written must be a letter, digit, hyphen or dot (libidn2's STD3
    // flag silently drops some, such as '_').
    if (!std::all_of(input.begin(), input.end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return u >= 0x80 || std::isalnum(u) != 0 || c == '-' || c == '.';
        })) {
        return Error{std::string(is_international(input) ? "invalid internationalised host name"
                                                         : "invalid host name") +
                     ": only letters, digits, hyphens and dots (STD3)"};
    }
    return input;
}

/// False when an ASCII name written with an A-label (xn--) does not decode and encode back
/// to itself; true for every other name.
bool a_labels_round_trip(const std::string& input, const std::string& ascii) {
    if (lower(ascii) == lower(input) && input.find("xn--") == std::string::npos &&
        input.find("XN--") == std::string::npos && input.find("Xn--") == std::string::npos &&
        input.find("xN--") == std::string::npos) {
        return true;
    }
    if (is_international(input)) {
        return true;
    }
    char* unicode = nullptr;
    const int rc = idn2_to_unicode_8z8z(input.c_str(), &unicode, 0);
    const std::string decoded = rc == IDN2_OK && unicode != nullptr ? unicode : "";
    idn2_free(unicode);
    auto again = decoded.empty() ? Result<std::string>{Error{""}} : idn_to_ascii(decoded);
    return again && lower(again.value()) == lower(input);
}

/// STD3: every label of the A-label form letters, digits and inner hyphens, 1–63 octets.
bool ldh_labels(const std::string& a) {
    std::size_t start = 0;
    while (start <= a.size()) {
        const std::size_t end = std::min(a.find('.', start), a.size());
        const std::string_view label(a.data() + start, end - start);
        const bool ldh = !label.empty() && label.size() <= 63 && label.front() != '-' &&
                         label.back() != '-' &&
                         std::all_of(label.begin(), label.end(), [](unsigned char c) {
                             return std::isalnum(c) != 0 || c == '-';
                         });
        if (!ldh) {
            return false;
        }
        start = end + 1;
    }
    return true;
}

}  // namespace

Result<std::string> host_to_ascii(std::string_view host) {
    std::string written(host);
    if (written.empty()) {
        return written;  // no host given: the caller says what is missing
    }
    if (written.find('\0') != std::string::npos) {
        return Error{"invalid internationalised host name: contains a NUL byte"};
    }
    // IP literals are what they are.
    if (is_ip_literal_host(written)) {
        return written;
    }
    auto checked = checked_as_written(std::move(written));
    if (!checked) {
        return checked;
    }
    const std::string& input = checked.value();
    // STD3 rules for every name (letters, digits, hyphens; no label starting or ending with '-'),
    // IDNA 2008 / UTS #46 for international ones; an A-label must decode and encode back to
    // itself.
    auto ascii = idn_to_ascii(input);
    if (!ascii) {
        return ascii.error();
    }
    if (!a_labels_round_trip(input, ascii.value())) {
        return Error{"invalid host name: an invalid A-label (xn--)"};
    }
    if (!ldh_labels(ascii.value())) {
        return Error{std::string(is_international(input) ? "invalid internationalised host name"
                                                         : "invalid host name") +
                     ": a label holds other than letters, digits and inner hyphens (STD3)"};
    }
    if (!is_international(input)) {
        return input;  // as written (its case kept), valid
    }
    return ascii;
}

std::string host_for_display(std::string_view host) {
    const std::string input(host);
    if (input.find("xn--") == std::string::npos && input.find("XN--") == std::string::npos) {
        return input;
    }
    char* output = nullptr;
    if (idn2_to_unicode_8z8z(input.c_str(), &output, 0) != IDN2_OK || output == nullptr) {
        idn2_free(output);
        return input;
    }
    std::string unicode(output);
    idn2_free(output);
    return unicode;
}

Result<ParsedUrl> parse(std::string_view url) {
    static constexpr const char* kNotAUrl = "not an absolute URL (scheme://host[:port][/path])";
    const std::string text(url);
    if (text.find('\0') != std::string::npos) {
        return Error{kNotAUrl};
    }
    CurlUrlPtr handle{curl_url()};
    if (!handle) {
        return Error{"out of memory"};
    }
    // Any scheme: lisa also reads ldap, ldaps, smtp, smtps and its own "tls". No guessing of a
    // missing scheme (CURLU_GUESS_SCHEME is not set), no defaults added.
    if (curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) !=
        CURLUE_OK) {
        return Error{kNotAUrl};
    }
    ParsedUrl parsed;
    const auto scheme = get_part(handle.get(), CURLUPART_SCHEME);
    const auto host = get_part(handle.get(), CURLUPART_HOST);
    if (!scheme || !host || host->empty() || text.find("://") == std::string::npos) {
        return Error{kNotAUrl};
    }
    parsed.scheme = lower(*scheme);
    parsed.host = strip_brackets(*host);
    parsed.has_credentials = get_part(handle.get(), CURLUPART_USER).has_value() ||
                             get_part(handle.get(), CURLUPART_PASSWORD).has_value() ||
                             get_part(handle.get(), CURLUPART_OPTIONS).has_value();
    const auto path = get_part(handle.get(), CURLUPART_PATH);
    parsed.has_path_or_query = (path && !path->empty() && *path != "/") ||
                               get_part(handle.get(), CURLUPART_QUERY).has_value() ||
                               get_part(handle.get(), CURLUPART_FRAGMENT).has_value();
    if (const auto port = get_part(handle.get(), CURLUPART_PORT)) {
        if (port->empty() || port->size() > 5 ||
            !std::all_of(port->begin(), port->end(), [](char c) { return c >= '0' && c <= '9'; })) {
            return Error{"port out of range"};
        }
        parsed.port = std::stoll(*port);
        if (parsed.port < 1 || parsed.port > 65535) {
            return Error{"port out of range"};
        }
    } else {
        parsed.port = default_port(parsed.scheme);
    }
    auto ascii = host_to_ascii(parsed.host);
    if (!ascii) {
        return ascii.error();
    }
    parsed.ascii_host = std::move(ascii).value();
    parsed.ascii_url = text;
    if (parsed.ascii_host != parsed.host) {
        if (curl_url_set(handle.get(), CURLUPART_HOST, parsed.ascii_host.c_str(), 0) != CURLUE_OK) {
            return Error{"invalid internationalised host name"};
        }
        if (auto rebuilt = get_part(handle.get(), CURLUPART_URL)) {
            parsed.ascii_url = std::move(*rebuilt);
        } else {
            return Error{kNotAUrl};
        }
    }
    return parsed;
}

std::string to_ascii_url(std::string_view url) {
    auto parsed = parse(url);
    return parsed ? parsed.value().ascii_url : std::string(url);
}

namespace {

bool secret_parameter_name(std::string_view name) {
    std::string folded;
    for (const char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
            folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    const auto contains = [&](const char* word) { return folded.find(word) != std::string::npos; };
    const auto ends = [&](const std::string& word) {
        return folded.size() >= word.size() && folded.compare(folded.size() - word.size(), word.size(), word) == 0;
    };
    for (const char* word : {"token", "secret", "passw", "signature", "credential", "session", "bearer", "apikey",
                             "accesskey", "privatekey", "authkey", "sharedkey", "subscriptionkey", "bindpw"}) {
        if (contains(word)) return true;
    }
    if (ends("sig")) return true;
    for (const char* word : {"key", "pw", "pwd", "pass", "auth", "code", "sid", "jwt", "sas"}) {
        if (folded == word) return true;
    }
    return false;
}

// The parameters of a query or fragment ("a=1&b=2"): kept ones joined back, dropped names added.
std::string filter_parameters(const std::string& text, std::vector<std::string>& dropped) {
    std::string kept;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('&', start), text.size());
        const std::string item = text.substr(start, end - start);
        const std::string name = item.substr(0, item.find('='));
        if (!item.empty() && secret_parameter_name(name)) {
            const bool printable = name.size() <= 40 && std::all_of(name.begin(), name.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
            });
            dropped.push_back(printable ? name : "(a parameter)");
        } else if (!item.empty()) {
            kept += (kept.empty() ? "" : "&") + item;
        }
        start = end + 1;
    }
    return kept;
}

}  // namespace

Result<SecretFreeUrl> without_secret_parameters(std::string_view url) {
    auto parsed = parse(url);
    if (!parsed) {
        return parsed.error();
    }
    SecretFreeUrl out;
    out.url = std::string(url);
    CurlUrlPtr handle{curl_url()};
    if (!handle || curl_url_set(handle.get(), CURLUPART_URL, out.url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
        return Error{"not an absolute URL (scheme://host[:port][/path])"};
    }
    bool changed = false;
    if (const auto query = get_part(handle.get(), CURLUPART_QUERY)) {
        const std::size_t before = out.dropped.size();
        const std::string kept = filter_parameters(*query, out.dropped);
        if (out.dropped.size() != before) {
            changed = true;
            curl_url_set(handle.get(), CURLUPART_QUERY, kept.empty() ? nullptr : kept.c_str(), 0);
        }
    }
    if (const auto fragment = get_part(handle.get(), CURLUPART_FRAGMENT)) {
        const std::size_t before = out.dropped.size();
        (void)filter_parameters(*fragment, out.dropped);
        if (out.dropped.size() != before) {
            changed = true;
            curl_url_set(handle.get(), CURLUPART_FRAGMENT, nullptr, 0);
        }
    }
    if (changed) {
        const auto rebuilt = get_part(handle.get(), CURLUPART_URL);
        if (!rebuilt) {
            return Error{"not an absolute URL (scheme://host[:port][/path])"};
        }
        out.url = *rebuilt;
    }
    return out;
}

std::string scheme_of(std::string_view url) {
    const std::string text(url);
    if (text.find('\0') != std::string::npos) {
        return {};
    }
    const CurlUrlPtr handle{curl_url()};
    if (handle && curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK) {
        if (auto scheme = get_part(handle.get(), CURLUPART_SCHEME)) {
            return lower(*scheme);
        }
    }
    LDAPURLDesc* desc = nullptr;
    std::string scheme;
    if (ldap_url_parse(text.c_str(), &desc) == LDAP_URL_SUCCESS && desc != nullptr && desc->lud_scheme != nullptr) {
        scheme = lower(desc->lud_scheme);
    }
    if (desc != nullptr) {
        ldap_free_urldesc(desc);
    }
    return scheme;
}

std::optional<std::string> ldap_extension_credentials(std::string_view url) {
    const std::string text(url);
    const std::string scheme = lower(text.substr(0, text.find("://")));
    if ((scheme != "ldap" && scheme != "ldaps") || text.find('\0') != std::string::npos) {
        return std::nullopt;
    }
    LDAPURLDesc* desc = nullptr;
    if (ldap_url_parse(text.c_str(), &desc) != LDAP_URL_SUCCESS || desc == nullptr) {
        if (desc != nullptr) {
            ldap_free_urldesc(desc);
        }
        return std::nullopt;
    }
    // An extension whose type names a secret of any kind (X-BINDPW, x-passwd, x-secret,
    // x-token, apikey, x-cred …), case-insensitively.
    static constexpr const char* kSecretWords[] = {"pw", "pass", "secret", "token", "key", "cred"};
    std::optional<std::string> problem;
    for (char** ext = desc->lud_exts; ext != nullptr && *ext != nullptr && !problem; ++ext) {
        std::string type(*ext);
        type = type.substr(0, type.find('='));  // the value is never looked at again
        if (!type.empty() && type.front() == '!') {
            type.erase(0, 1);
        }
        const std::string folded = lower(type);
        // Only the type goes into the message, and only when it is short and printable.
        const bool printable =
            type.size() <= 32 && std::all_of(type.begin(), type.end(), [](unsigned char c) {
                return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.';
            });
        const std::string name = printable ? "the '" + type + "'" : "an";
        if (folded == "bindname") {
            problem = "must not carry the bind identity in the 'bindname' extension (RFC 4516): "
                      "use bind_dn with password_env or password_file";
        } else if (std::any_of(std::begin(kSecretWords), std::end(kSecretWords),
                               [&](const char* word) {
                                   return folded.find(word) != std::string::npos;
                               })) {
            problem = "must not carry credentials in " + name +
                      " extension: use bind_dn with password_env or password_file";
        }
    }
    ldap_free_urldesc(desc);
    return problem;
}

}  // namespace lisa::url
