#pragma once
// A scripted TDLib for tests: it speaks TDLib 1.8.65's JSON (td_api.tl names exactly) and
// answers only what the test scripted, like TDLib with no network.
//
//   ScriptedTdJson td;
//   td.on("setTdlibParameters", [](const nlohmann::json&) -> std::vector<nlohmann::json> {
//     return {ScriptedTdJson::ok(),
//             ScriptedTdJson::authorization_state("authorizationStateWaitPhoneNumber")};
//   });
//
// A rule returns the objects to deliver. The first one, when it is not an update ("@type" not
// starting with "update"), is the response: it gets the request's "@extra". Every other object
// is delivered as is (updates). Every delivered object gets "@client_id". Requests without a
// rule get no answer (TdClient's deadlines can be tested). "close" has a default rule (ok, then
// authorizationStateClosing and authorizationStateClosed, as TDLib does); on("close", ...)
// replaces it.
// Thread-safety: every method may be called from any thread; receive() blocks on a condition
// variable up to its timeout. Rules run on the sending thread without the double's lock held
// (they may call push_update).
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telegram/tdjson/td_json_api.h"

namespace sakai::telegram::tdjson {

class ScriptedTdJson final : public TdJsonApi {
 public:
  using Rule = std::function<std::vector<nlohmann::json>(const nlohmann::json& request)>;

  ScriptedTdJson();

  // TdJsonApi
  int create_client_id() override;
  void send(int client_id, std::string_view request) override;
  std::optional<std::string> receive(double timeout_seconds) override;
  // getOption "version" → optionValueString "1.8.65"; setLogVerbosityLevel, setLogStream,
  // addLogMessage → ok; anything else → TDLib's error 400 for requests that cannot run
  // synchronously.
  std::string execute(std::string_view request) override;
  void set_log_callback(int max_verbosity,
                        std::function<void(int, std::string_view)> callback) override;

  // Scripting.
  void on(std::string type, Rule rule);
  // Delivers `object` (an update, or any object) as is, adding "@client_id".
  void push_update(nlohmann::json object);
  // Delivers `response` as the answer to `request` (a recorded request): copies its "@extra".
  // For answers out of order or after a deadline.
  void respond(const nlohmann::json& request, nlohmann::json response);

  // Inspection.
  [[nodiscard]] std::vector<std::string> requests() const;  // as sent, in order
  [[nodiscard]] std::vector<nlohmann::json> requests_of_type(std::string_view type) const;
  [[nodiscard]] std::optional<nlohmann::json> last_request(std::string_view type) const;
  [[nodiscard]] std::size_t queued() const;  // objects not yet received
  [[nodiscard]] std::vector<std::string> executed() const;
  [[nodiscard]] bool has_log_callback() const;
  [[nodiscard]] int log_max_verbosity() const;
  // Emits a message through the log callback as TDLib would (with TDLib's line prefix), if the
  // callback is set and `verbosity` <= its maximum.
  void emit_log(int verbosity, std::string_view text);

  // td_api.tl objects tests need often.
  static nlohmann::json ok();
  static nlohmann::json error(int code, std::string message);
  static nlohmann::json authorization_state(std::string_view state);  // updateAuthorizationState
  static nlohmann::json option_string(std::string_view value);        // optionValueString

 private:
  void deliver_locked(nlohmann::json object, int client_id);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::vector<std::string> requests_;
  std::vector<std::string> executed_;
  std::map<std::string, Rule, std::less<>> rules_;
  int last_client_id_ = 0;
  std::function<void(int, std::string_view)> log_callback_;
  int log_max_verbosity_ = 0;
};

}  // namespace sakai::telegram::tdjson
