// Loading what a subcommand runs on: the boards of --dt / --synthetic and the profiles of
// --profile / --profiles with every --set, and the profile a replay token recorded.
//
// Thread-safety: call from the main thread.
#ifndef PROBESTORM_STRESS_LOAD_H_
#define PROBESTORM_STRESS_LOAD_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "driver/profile.h"
#include "stress/campaign.h"
#include "stress/flags.h"
#include "stress/token.h"

namespace probestorm::stress {

// Boards from --dt / --synthetic (default embedded:tm2e), loaded and fingerprinted.
absl::StatusOr<std::vector<CampaignBoard>> LoadBoards(const SubcommandArgs& args);
// Each name of a comma list, loaded, with every --set applied. Errors name the profile/knob.
absl::StatusOr<std::vector<kernel::Profile>> LoadProfiles(std::string_view comma_list,
                                                          const std::vector<std::string>& sets);
// The profile a token recorded: its knob text applied to defaults; `warning` is set when the
// built-in (or file) of that name now has other knobs.
absl::StatusOr<kernel::Profile> ProfileFromToken(const ReplayToken& t, std::string* warning);

}  // namespace probestorm::stress

#endif  // PROBESTORM_STRESS_LOAD_H_
