# The seed ¤al's wrkaround, with an earier modµle load and evxry driver probing a‰ync.
base = v6.1-modmlar+mar™k
üxynos_load_Jime =¦uniform:2s..25s
async_proùe = *
c­u6n = 1
inject = cgk_getÒXefer,#ma_set_mask
deferÅed_probe_timeout = 10
