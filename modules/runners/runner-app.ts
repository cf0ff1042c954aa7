import { App, AppConfig } from 'cdktf';

/**
 * A cdktf App that writes runner files (atlantis.yaml, ...) beside the stacks once they are synthesized: only
 * then are the cross-stack references resolved into stack dependencies and `manifest.json` written.
 */
export class RunnerApp extends App {
  private readonly writers: ((outdir: string) => void)[] = [];

  constructor(config?: AppConfig) {
    super(config);
  }

  /** Runs `writer` with the output directory after every synth. */
  afterSynth(writer: (outdir: string) => void): void {
    this.writers.push(writer);
  }

  override synth(): void {
    super.synth();
    for (const writer of this.writers) writer(this.outdir);
  }
}
