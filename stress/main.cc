// probestorm: entry point; subcommands live in stress/.
int main(int argc, char** argv) { return 0; }
