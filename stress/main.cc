// probestorm: entry point; the subcommands live in stress/ (commands.h).
#include "stress/commands.h"

int main(int argc, char** argv) { return probestorm::stress::ProbestormMain(argc, argv); }
