export * from './hlc';
export * from './protocol';
export * from './merge';
