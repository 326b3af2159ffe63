import pytest
from django.conf import settings


@pytest.mark.parametrize(
    "language, title, username_label",
    [
        ("es", "Buscar una persona", "Nombre de usuario"),
        ("en", "Find a person", "Username"),
        ("pt-br", "Buscar uma pessoa", "Usuário"),
    ],
)
def test_screens_speak_the_chosen_language(client, world, language, title, username_label):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    login = client.get("/accounts/login/").content.decode()
    assert username_label in login
    assert f'lang="{language}"' in login
    client.force_login(world.intake)
    assert title in client.get("/registry/").content.decode()


def test_spanish_is_the_default(client, world):
    client.force_login(world.intake)
    assert "Buscar una persona" in client.get("/registry/").content.decode()


def test_the_language_switcher_sets_the_language(client, world):
    client.force_login(world.intake)
    client.post("/i18n/setlang/", {"language": "pt-br", "next": "/registry/"})
    assert "Buscar uma pessoa" in client.get("/registry/").content.decode()
