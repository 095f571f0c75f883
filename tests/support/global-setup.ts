// Placeholder replaced by the integration harness (starts influxd on a free port).
export default function setup(): void {}
