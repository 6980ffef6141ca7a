// The parts of webvtt-parser (the W3C validator's WebVTT parser) that Parcours uses.
declare module 'webvtt-parser' {
  interface ParseError { message: string; line: number; col?: number }
  interface Cue { id: string; startTime: number; endTime: number; text: string }
  interface ParseTree { cues: Cue[]; errors: ParseError[] }
  class WebVTTParser {
    parse(input: string, mode?: 'subtitles' | 'chapters' | 'metadata'): ParseTree;
  }
  const pkg: { WebVTTParser: typeof WebVTTParser };
  export default pkg;
}
