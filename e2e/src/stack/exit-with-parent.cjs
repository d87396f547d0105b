// Preloaded (`--require`) into every process the stack launcher starts, which it spawns with an IPC
// channel. When the launcher dies without stopping its children (SIGKILL, a crashed test worker),
// the channel closes: the child then stops itself with SIGTERM, its graceful drain, instead of
// living on as an orphan that holds ports. The channel is unref'd so it never keeps a process alive.
if (process.channel) {
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
