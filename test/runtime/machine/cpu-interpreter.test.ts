import { defineCpuTests } from './cpu-cases.js';

defineCpuTests(false);
