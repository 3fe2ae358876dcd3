declare module 'unicode-properties' {
  export function getScript(codePoint: number): string;
  export function getCategory(codePoint: number): string;
  export function isMark(codePoint: number): boolean;
  export function isWhiteSpace(codePoint: number): boolean;
  const props: { getScript: typeof getScript; getCategory: typeof getCategory };
  export default props;
}

declare module 'bidi-js' {
  export interface EmbeddingLevels {
    levels: Uint8Array;
    paragraphs: { start: number; end: number; level: number }[];
  }
  export interface Bidi {
    getEmbeddingLevels(text: string, direction?: 'ltr' | 'rtl' | 'auto'): EmbeddingLevels;
    getReorderSegments(text: string, levels: EmbeddingLevels, start?: number, end?: number): [number, number][];
    getMirroredCharacter(char: string): string | null;
  }
  export default function bidiFactory(): Bidi;
}
