#pragma once
// A scripted TDLib for tests and benchmarks: it speaks TDLib 1.8.65's JSON (td_api.tl names
// exactly) and answers only what the test scripted, like TDLib with no network. Several clients
// at once (several accounts in one process), each with its own requests and, when it needs
// them, its own rules.
//
//   ScriptedTdJson td;
//   td.on("setTdlibParameters", [](const nlohmann::json&) -> std::vector<nlohmann::json> {
//     return {ScriptedTdJson::ok(),
//             ScriptedTdJson::authorization_state("authorizationStateWaitPhoneNumber")};
//   });
//   td.on(2, "getMe", ...);   // only client 2 answers getMe this way
//
// A rule returns the objects to deliver. The first one, when it is not an update ("@type" not
// starting with "update"), is the response: it gets the request's "@extra". Every other object
// is delivered as is (updates). Like TDLib, every delivered object ends with
// `"@extra":...,"@client_id":N}` (the keys appended after the object's own). Requests without a
// rule get no answer (TdClient's deadlines can be tested). "close" has a default rule (ok, then
// authorizationStateClosing and authorizationStateClosed, as TDLib does); on("close", ...)
// replaces it. A client's own rule for a type wins over the rule for every client.
// Client ids are 1, 2, 3 ... in the order create_client_id() hands them out; one queue holds the
// objects of every client, in the order they were delivered (td_receive's interleaving).
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

  // Scripting. A rule for every client, or for one client id.
  void on(std::string type, Rule rule);
  void on(int client_id, std::string type, Rule rule);
  // Delivers `object` (an update, or any object) as is, adding "@client_id": to `client_id`, or
  // without it to the client created last (1 before any).
  void push_update(nlohmann::json object);
  void push_update(int client_id, nlohmann::json object);
  // Delivers `response` as the answer to `request` (a recorded request), to the client that sent
  // it: copies its "@extra". For answers out of order or after a deadline.
  void respond(const nlohmann::json& request, nlohmann::json response);

  // Inspection. Without a client id: every client's, in the order sent.
  [[nodiscard]] std::vector<std::string> requests() const;
  [[nodiscard]] std::vector<std::string> requests(int client_id) const;
  [[nodiscard]] std::vector<nlohmann::json> requests_of_type(std::string_view type) const;
  [[nodiscard]] std::vector<nlohmann::json> requests_of_type(int client_id,
                                                             std::string_view type) const;
  [[nodiscard]] std::optional<nlohmann::json> last_request(std::string_view type) const;
  [[nodiscard]] std::vector<int> client_ids() const;  // created so far
  [[nodiscard]] std::size_t queued() const;           // objects not yet received
  [[nodiscard]] std::vector<std::string> executed() const;
  [[nodiscard]] bool has_log_callback() const;
  [[nodiscard]] int log_max_verbosity() const;
  // How often set_log_callback was called to set a callback, and to clear it.
  [[nodiscard]] int log_callback_sets() const;
  [[nodiscard]] int log_callback_clears() const;
  // Emits a message through the log callback as TDLib would (with TDLib's line prefix), if the
  // callback is set and `verbosity` <= its maximum.
  void emit_log(int verbosity, std::string_view text);

  // td_api.tl objects tests need often.
  static nlohmann::json ok();
  static nlohmann::json error(int code, std::string message);
  static nlohmann::json authorization_state(std::string_view state);  // updateAuthorizationState
  static nlohmann::json option_string(std::string_view value);        // optionValueString
  // `object` as TDLib writes it: its own keys, then "@extra" (when it has one), then
  // "@client_id" last.
  static std::string serialize(nlohmann::json object, int client_id);

 private:
  struct Sent {
    int client_id = 0;
    std::string text;
  };
  Rule rule_for(int client_id, const std::string& type) const;  // with mu_ held
  void deliver_locked(nlohmann::json object, int client_id);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::vector<Sent> requests_;
  std::vector<std::string> executed_;
  std::map<std::string, Rule, std::less<>> rules_;
  std::map<int, std::map<std::string, Rule, std::less<>>> client_rules_;
  int last_client_id_ = 0;
  std::function<void(int, std::string_view)> log_callback_;
  int log_max_verbosity_ = 0;
  int log_sets_ = 0;
  int log_clears_ = 0;
};

}  // namespace sakai::telegram::tdjson
