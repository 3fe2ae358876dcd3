export * from './model.ts';
export * from './protect.ts';
export * from './grade.ts';
export * from './attempts.ts';
