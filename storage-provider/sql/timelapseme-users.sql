-- TimeLapseMe's legacy users table (as Sequelize created it) with demo users whose passwords are
-- hashed in every format the mysql-users provider verifies. Valid on MySQL 8.4 and MariaDB 10.6+;
-- docker-compose mounts it into /docker-entrypoint-initdb.d, the integration tests load it into a
-- fresh database of their own. Passwords: see the README (mysql-users section). Demo data only.

CREATE TABLE IF NOT EXISTS `Users` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `email` VARCHAR(512) NULL,
  `passwordHash` VARCHAR(256) NULL,
  `authenticationMethod` ENUM('APPLE', 'GOOGLE', 'CREDENTIALS') NULL,
  `nickname` VARCHAR(128) NULL,
  `createdAt` DATETIME NOT NULL,
  `updatedAt` DATETIME NOT NULL,
  PRIMARY KEY (`id`),
  -- not in TimeLapseMe's schema: lookups by email (the login name) need it on a large table
  KEY `Users_email` (`email`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

INSERT INTO `Users` (`id`, `email`, `passwordHash`, `authenticationMethod`, `nickname`, `createdAt`, `updatedAt`) VALUES
  -- bcrypt cost 10, as TimeLapseMe writes them (node bcrypt, $2b$)
  (1, 'alice@timelapse.me', '$2b$10$Js/udrEfJXz2ZHdcrpZ1DeZzWk2oLklQy2rj2I4R6r/aUwHdok2mi', 'CREDENTIALS', 'Alice Lapse', '2021-03-01 10:00:00', '2021-03-01 10:00:00'),
  (2, 'bob@timelapse.me', '$2a$10$NhmNhXzUViLcHnG9EEfOROJoCd8nQGGMJPiVcnGpwghN7uCtf4zBy', 'CREDENTIALS', 'Bob', '2021-03-02 10:00:00', '2021-03-02 10:00:00'),
  (3, 'yvonne@timelapse.me', '$2y$10$lQSLV3GjmceKNkFKPLOcJ.rGJe3Inf0OVZ2sd2ZpVBkeYHZQAuJvm', 'CREDENTIALS', 'Yvonne', '2021-03-03 10:00:00', '2021-03-03 10:00:00'),
  -- WatcherEx-style argon2 and PBKDF2
  (4, 'carol@watcherex.dev', '$argon2id$v=19$m=19456,t=2,p=1$GTSvNP6vLDKhwfU9AQL0pQ$sUVam5LrvOD89uLfOBNcAzLPIrWA3xPx6OXTMWhe+3s', 'CREDENTIALS', 'Carol', '2021-04-01 10:00:00', '2021-04-01 10:00:00'),
  (5, 'dave@watcherex.dev', '$argon2i$v=19$m=4096,t=3,p=1$gmDGa4w47t7vBDc2Gyjtkg$PiigsWhn2VdFx/IGso+w/yVIAFlb+Pgqv/044dqFRug', 'CREDENTIALS', 'Dave', '2021-04-02 10:00:00', '2021-04-02 10:00:00'),
  (6, 'erin@watcherex.dev', '$pbkdf2-sha256$29000$u9x4xhWWVcXrJNXQj1UOMw$5db49x6BUkO0cUoEsr7iC2mi9KGlwKCH3oktBGK89y0', 'CREDENTIALS', 'Erin', '2021-04-03 10:00:00', '2021-04-03 10:00:00'),
  (7, 'olga@watcherex.dev', '$pbkdf2-sha512$i=10000,l=64$3M1u2n00Umaj2r22vuMNtw$kKHFkuk4PYUlMPck922tFDuVebTxSM+OyKzYeb1UzVexDjbI3ouM6eRDHRq/Vmz8w6j9//tShpsGuVW7iKrwhA', 'CREDENTIALS', 'Olga', '2021-04-04 10:00:00', '2021-04-04 10:00:00'),
  (8, 'frank@django.dev', 'pbkdf2_sha256$260000$Qx7oJmYV3vK2$22SH3XpTEwqnzwHuZoo0yi6ijuRTg1jET0hDY7xdJM0=', 'CREDENTIALS', 'Frank', '2021-04-05 10:00:00', '2021-04-05 10:00:00'),
  -- unsalted hex digests (ErtisAuth stores SHA-256 like this)
  (9, 'grace@ertis.dev', '98dc01551b0912665981c39ef8aa4ab7', 'CREDENTIALS', 'Grace', '2021-05-01 10:00:00', '2021-05-01 10:00:00'),
  (10, 'heidi@ertis.dev', '6668c2a34efa0f1ab1328fe51a8329db57b6fab4', 'CREDENTIALS', 'Heidi', '2021-05-02 10:00:00', '2021-05-02 10:00:00'),
  (11, 'ivan@ertis.dev', '0cf0ec557c503b2867a97cb1464111b8699e6aaeb938b6620cb68cac69db2895', 'CREDENTIALS', 'Ivan', '2021-05-03 10:00:00', '2021-05-03 10:00:00'),
  (12, 'judy@ertis.dev', '72ea190dab9a0133fea65dcc1386336c04498881713604de579ac89f1566b88876e958cf4ebb627ffc2e30ddfacb8efe27bbe1137c9fe132bb8f95f4d943eee4', 'CREDENTIALS', 'Judy', '2021-05-04 10:00:00', '2021-05-04 10:00:00'),
  -- the rows a real table has too: mixed-case email, a social sign-up without a password,
  -- the same email twice (social and credentials), and a hash in a format nobody supports
  (13, 'Mixed.Case@TimeLapse.me', '$2b$10$HGgWj5K4L0tv/45XSlR6zu42MOu2p5WVXdUmnkMgYKUzgjlck6tzO', 'CREDENTIALS', 'Mixed Case', '2021-06-01 10:00:00', '2021-06-01 10:00:00'),
  (14, 'apple.user@privaterelay.appleid.com', NULL, 'APPLE', 'Apple User', '2021-06-02 10:00:00', '2021-06-02 10:00:00'),
  (15, 'dup@timelapse.me', NULL, 'GOOGLE', 'Dup Google', '2021-06-03 10:00:00', '2021-06-03 10:00:00'),
  (16, 'dup@timelapse.me', '$2b$10$8Wjp9Tr5tJxCqZWOEAhFqOppeTei2lgwdd9Sbr24EpYH8/M19h5wm', 'CREDENTIALS', 'Dup Credentials', '2021-06-04 10:00:00', '2021-06-04 10:00:00'),
  (17, 'crypt@legacy.dev', '$6$rounds=5000$saltsalt$Lu0p2m8Ulc8kJ3o3WJ5Rc2cQq8p3m4F4yCkO1s0r0fFQ', 'CREDENTIALS', 'Unix Crypt', '2021-06-05 10:00:00', '2021-06-05 10:00:00');
