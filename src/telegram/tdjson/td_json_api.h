#pragma once
// TDLib's JSON C API behind a small interface, so the real mapping code above it can be driven
// in tests by a scripted double that speaks TDLib's JSON exactly (td_api.tl of 1.8.65).
// The real implementation (TdJsonLibrary) loads libtdjson.so with dlopen(RTLD_LOCAL |
// RTLD_DEEPBIND) so its bundled OpenSSL never meets libcurl's.
// Thread-safety: as TDLib's: send() and create_client_id() from any thread; receive() from one
// thread at a time; execute() from any thread.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sakai::telegram::tdjson {

class TdJsonApi {
 public:
  virtual ~TdJsonApi() = default;
  virtual int create_client_id() = 0;
  // `request` is one TDLib JSON object; its "@extra" comes back on the response.
  virtual void send(int client_id, std::string_view request) = 0;
  // The next response or update (as TDLib returns it, one JSON object), or nullopt after
  // `timeout_seconds`. The object carries "@client_id".
  virtual std::optional<std::string> receive(double timeout_seconds) = 0;
  // The same without a copy where the implementation can: the object stays valid until the next
  // receive() or receive_view() on this API (TDLib's own rule for td_receive). The hub uses this
  // one. The default keeps receive()'s string in a buffer of its own; TdJsonLibrary answers with
  // TDLib's buffer itself.
  virtual std::optional<std::string_view> receive_view(double timeout_seconds) {
    std::optional<std::string> object = receive(timeout_seconds);
    if (!object) return std::nullopt;
    last_ = std::move(*object);
    return std::string_view(last_);
  }
  // Synchronous requests TDLib allows without a client (setLogVerbosityLevel, getOption of
  // "version", parseTextEntities, ...).
  virtual std::string execute(std::string_view request) = 0;
  // TDLib's own log: messages of `max_verbosity` or more important reach `callback`
  // (verbosity 0 = fatal, 1 = error, 2 = warning, 3 = info, 4+ = debug).
  virtual void set_log_callback(int max_verbosity,
                                std::function<void(int, std::string_view)> callback) = 0;

 private:
  std::string last_;  // receive_view()'s object, by default
};

}  // namespace sakai::telegram::tdjson
