// Printed after `npm test`: the 1EdTech conformance suite is separate (its files are not in the repository).
console.log(
  'conformance suite (1EdTech Open Badges 3.0 files, not in this repository) not run: npm run test:conformance',
);
